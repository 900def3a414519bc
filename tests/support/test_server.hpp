// Test servers: the mock server in a thread of the test, and an independent server that
// implements only docs/API.md (other names, opaque random tokens, odd page sizes).
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/http/endpoint.hpp"
#include "mock_server/server.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/loopback.hpp"

namespace billion::testkit {

// The mock server on port 0, in a background thread; bound (ready) once constructed.
class MockServer {
public:
    explicit MockServer(mock::ServerConfig o) : server_(o), thread_([this] { server_.run(); }) {}
    ~MockServer() {
        server_.stop();
        thread_.join();
    }
    client::Endpoint endpoint() const { return {"127.0.0.1", server_.port()}; }
    mock::Server& server() { return server_; }

private:
    mock::Server server_;
    std::thread thread_;
};

inline mock::ServerConfig catalog_of(std::uint64_t files, std::uint32_t page_size = 1000) {
    mock::ServerConfig o;
    o.catalog.files = files;
    o.catalog.page_size = page_size;
    return o;
}

// A server written from API.md alone with cpp-httplib: names "doc_<n>.txt", tokens random
// strings with characters that need percent-encoding, an empty page in the middle.
class IndependentServer {
public:
    explicit IndependentServer(std::size_t files, std::size_t page_size = 7)
        : IndependentServer(doc_names(files), page_size) {}
    // A server that lists these names (JSON-escaped), in this order; each file 100 bytes.
    // stalling_stats: it has a /stats whose answer promises 1,000 bytes, sends 11 and stalls
    // for 1.5 s (a client must give up on it); stats_asked() counts those requests.
    explicit IndependentServer(std::vector<std::string> names, std::size_t page_size, bool stalling_stats = false)
        : names_(std::move(names)) {
        if (stalling_stats)
            svr_.Get("/stats", [this](const httplib::Request&, httplib::Response& res) {
                ++stats_asked_;
                res.set_content_provider(1000, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
                    sink.write("{\"get_ok\": 1", 11);
                    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                    return false;
                });
            });
        const std::size_t files = names_.size();
        for (std::size_t i = 0; i < files; ++i)
            contents_[names_[i]] = std::string(100, static_cast<char>('a' + i % 26));
        std::mt19937_64 rng(7);
        for (std::size_t off = page_size; off < files; off += page_size) {
            std::string tok = "t+/=" + std::to_string(rng());
            tokens_[tok] = off;
        }
        svr_.set_keep_alive_max_count(1000000);
        svr_.set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle delay
        // httplib serves each connection on a pool thread for as long as it is kept alive:
        // enough threads for every connection the strategies open (combo: P x (C + 1)).
        svr_.new_task_queue = [] { return new httplib::ThreadPool(128); };
        // The first page's NextMarker leads to an empty page (allowed by API.md), whose own
        // NextMarker leads on to the second page of names.
        const std::string empty = "empty page/" + std::to_string(rng());
        svr_.Get("/list", [this, page_size, files, empty](const httplib::Request& req, httplib::Response& res) {
            std::size_t off = 0;
            std::string body = "{\"FileNames\": [";
            if (req.has_param("next-marker") && req.get_param_value("next-marker") == empty) {
                body += "]";
                if (page_size < files) body += ", \"NextMarker\": \"" + token_at(page_size) + "\"";
                res.set_content(body + "}", "application/json");
                return;
            }
            if (req.has_param("next-marker")) {
                auto it = tokens_.find(req.get_param_value("next-marker"));
                if (it == tokens_.end()) {
                    res.status = 400;
                    return;
                }
                off = it->second;
            }
            std::size_t end = std::min(files, off + page_size);
            for (std::size_t i = off; i < end; ++i)
                body.append(i > off ? "," : "").append(nlohmann::json(names_[i]).dump());
            body += "]";
            if (off == 0 && end < files)
                body += ", \"NextMarker\": \"" + empty + "\"";
            else if (end < files)
                body += ", \"NextMarker\": \"" + token_at(end) + "\"";
            res.set_content(body + "}", "application/json");
        });
        svr_.Get(R"(/get/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
            auto it = contents_.find(req.matches[1]);
            if (it == contents_.end()) {
                res.status = 404;
                return;
            }
            res.set_content(it->second, "application/octet-stream");
        });
        port_ = svr_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { svr_.listen_after_bind(); });
        eventually([this] { return svr_.is_running(); });
    }
    ~IndependentServer() {
        svr_.stop();
        thread_.join();
    }
    client::Endpoint endpoint() const { return {"127.0.0.1", static_cast<std::uint16_t>(port_)}; }
    std::string url() const { return endpoint().url(); }
    std::size_t files() const { return names_.size(); }
    int stats_asked() const { return stats_asked_; }

private:
    static std::vector<std::string> doc_names(std::size_t files) {
        std::vector<std::string> v;
        for (std::size_t i = 0; i < files; ++i)
            v.push_back("doc_" + std::to_string(i * 7919 % 100003) + ".txt");
        return v;
    }
    std::string token_at(std::size_t off) const {
        for (auto& [t, o] : tokens_)
            if (o == off) return t;
        return {};
    }

public:
private:
    httplib::Server svr_;
    std::vector<std::string> names_;
    std::map<std::string, std::string> contents_;
    std::map<std::string, std::size_t> tokens_;
    std::atomic<int> stats_asked_{0};
    int port_ = 0;
    std::thread thread_;
};

// Whole files the server at url ("http://127.0.0.1:PORT") has served, from its /stats; 0 when
// it cannot be asked. Tests wait on it instead of sleeping: "files are landing".
inline std::uint64_t files_served(const std::string& url) {
    auto ep = client::parse_url(url);
    if (!ep) return 0;
    httplib::Client c(ep->host, ep->port);
    auto res = c.Get("/stats");
    if (!res || res->status != 200) return 0;
    auto j = nlohmann::json::parse(res->body, nullptr, false);
    return j.is_discarded() ? 0 : j.value("get_ok", std::uint64_t{0});
}

// The embedded server's address, from billion's first line on stderr ("... on http://...:PORT: ...").
inline std::string embedded_url(const std::string& err) {
    const auto at = err.find("on http://");
    if (at == std::string::npos) return {};
    const auto end = err.find(':', err.find(':', at + 8) + 1);
    return err.substr(at + 3, end - at - 3);
}

// A server that answers every request with the same raw bytes and closes the connection:
// for answers no HTTP library would write (a Content-Length that is not a count).
class RawServer {
public:
    explicit RawServer(std::string answer) : answer_(std::move(answer)) {
        listener_ = listen_loopback(port_);  // bound and listening: ready
        thread_ = std::thread([this] { serve(); });
    }
    ~RawServer() {
        stop_ = true;
        thread_.join();
        ::close(listener_);
    }
    client::Endpoint endpoint() const { return {"127.0.0.1", port_}; }
    // Connections it has answered and closed.
    int closed() const { return closed_; }

private:
    void serve() {
        while (!stop_) {
            pollfd p{listener_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) continue;
            std::string request;
            char buf[4096];
            for (ssize_t n; request.find("\r\n\r\n") == std::string::npos && (n = ::read(fd, buf, sizeof buf)) > 0;)
                request.append(buf, static_cast<std::size_t>(n));
            [[maybe_unused]] auto sent = ::write(fd, answer_.data(), answer_.size());
            ::shutdown(fd, SHUT_WR);
            ::close(fd);
            ++closed_;
        }
    }
    std::string answer_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> closed_{0};
    std::thread thread_;
};

}  // namespace billion::testkit
