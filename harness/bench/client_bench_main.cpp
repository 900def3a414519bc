// billion_client_bench: the blocking client's CPU per request against the floor, one GET at a
// time on one keep-alive connection to the mock server (in this process, on its own thread).
// BM_Get/client:minimal is the least a blocking client can do (write the request, read until
// the body is complete: two system calls); client:httplib is cpp-httplib's Client::Get, the
// blocking client billion had before; client:billion is ApiClient::get, what sync, threads
// and processes run (with every check: Content-Length, size, retries). CPU time is the
// benchmark thread's, so the server's is not in it.
#include <benchmark/benchmark.h>

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>

#include "client/http/api.hpp"
#include "mock_server/server.hpp"

using namespace billion;

namespace {

constexpr std::uint64_t kFiles = 1000;

struct Running {
    Running() : server(config()), thread([this] { server.run(); }) {}
    ~Running() {
        server.stop();
        thread.join();
    }
    static mock::ServerConfig config() {
        mock::ServerConfig o;
        o.catalog.files = kFiles;
        return o;
    }
    mock::Server server;
    std::thread thread;
};

Running& server() {
    static Running r;
    return r;
}

std::string name(std::uint64_t i) {
    static const mock::Catalog catalog = Running::config().catalog;
    return catalog.name(i % kFiles);
}

std::string target(std::uint64_t i) {
    return "/get/" + name(i);
}

// The floor: one socket, the request's bytes, reads until the header's Content-Length of
// body has arrived. No checks beyond finding the length; not a client to download with.
void BM_Minimal(benchmark::State& state) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(server().server.port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        state.SkipWithError("cannot connect");
        ::close(fd);
        return;
    }
    std::string request;
    char buf[4096];
    std::uint64_t i = 0;
    for (auto _ : state) {
        request = "GET " + target(i++) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
            state.SkipWithError("send failed");
            break;
        }
        std::size_t have = 0, need = SIZE_MAX;
        while (have < need) {
            const ssize_t n = ::recv(fd, buf + have, sizeof buf - have, 0);
            if (n <= 0) break;
            have += static_cast<std::size_t>(n);
            const std::string_view got(buf, have);
            const auto end = got.find("\r\n\r\n");
            const auto cl = got.find("Content-Length: ");
            if (end != std::string_view::npos && cl != std::string_view::npos)
                need = end + 4 + std::strtoull(buf + cl + 16, nullptr, 10);
        }
        if (have != need) {
            state.SkipWithError("short answer");
            break;
        }
    }
    ::close(fd);
}

void BM_Httplib(benchmark::State& state) {
    httplib::Client http("127.0.0.1", server().server.port());
    http.set_keep_alive(true);
    http.set_tcp_nodelay(true);
    std::uint64_t i = 0;
    for (auto _ : state) {
        auto res = http.Get(target(i++));
        if (!res || res->status != 200 || res->body.size() != 100) {
            state.SkipWithError("bad answer");
            break;
        }
    }
}

void BM_Billion(benchmark::State& state) {
    client::WorkerStats stats;
    client::ApiClient api({"127.0.0.1", server().server.port()}, client::ClientConfig{}, stats);
    std::uint64_t i = 0;
    for (auto _ : state) {
        if (!api.get(name(i++))) {
            state.SkipWithError(stats.first_error);
            break;
        }
    }
}

}  // namespace

BENCHMARK(BM_Minimal)->Name("BM_Get/client:minimal");
BENCHMARK(BM_Httplib)->Name("BM_Get/client:httplib");
BENCHMARK(BM_Billion)->Name("BM_Get/client:billion");
BENCHMARK_MAIN();
