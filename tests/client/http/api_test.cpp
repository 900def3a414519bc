// Both API clients name a failure for what it is: a body cut short is not a reset, a refused
// connection says so, and a stalled answer is a timeout.
#include <gtest/gtest.h>

#include "client/boost_shim.hpp"  // first

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "client/http/api.hpp"
#include "client/http/async_api.hpp"
#include "tests/support/test_server.hpp"

using namespace billion;

namespace {

client::ClientConfig once() {
    client::ClientConfig o;
    o.max_attempts = 1;
    o.read_timeout = std::chrono::milliseconds(300);
    return o;
}

boost::asio::awaitable<void> get_one(client::AsyncApiClient& api, std::string name) {
    EXPECT_FALSE(co_await api.get(std::move(name)));
}

// The first error of fetching one file with the blocking or the asynchronous client.
std::string first_error(bool async, const client::Endpoint& server, const std::string& name) {
    client::WorkerStats stats;
    if (!async) {
        client::ApiClient api(server, once(), stats);
        EXPECT_FALSE(api.get(name));
    } else {
        boost::asio::io_context io;
        client::AsyncApiClient api(io.get_executor(), server, once(), stats);
        boost::asio::co_spawn(io, get_one(api, name), boost::asio::detached);
        io.run();
    }
    return stats.first_error;
}

class Causes : public ::testing::TestWithParam<bool> {};

}  // namespace

TEST_P(Causes, ATruncatedBodyIsNotAReset) {
    auto o = testkit::catalog_of(10);
    o.faults.truncate_rate = 1.0;
    testkit::MockServer server(o);
    auto e = first_error(GetParam(), server.endpoint(), o.catalog.name(0));
    EXPECT_NE(e.find("truncated body: got 50 of 100 bytes"), std::string::npos) << e;
}

TEST_P(Causes, ARefusedConnectionSaysSo) {
    auto e = first_error(GetParam(), {"127.0.0.1", 1}, "x");
    EXPECT_NE(e.find("cannot connect: Connection refused"), std::string::npos) << e;
}

TEST_P(Causes, AStalledAnswerIsATimeout) {
    auto o = testkit::catalog_of(10);
    o.hostile = mock::Hostile::stall;
    testkit::MockServer server(o);
    auto e = first_error(GetParam(), server.endpoint(), o.catalog.name(0));
    EXPECT_NE(e.find("timed out: no answer within 300 ms"), std::string::npos) << e;
}

// A Content-Length that is not one decimal count is a protocol failure of that file, at once
// (no retry, no wait for a body that cannot be framed), with one message from both clients;
// one over the file limit is refused before its body is read.
TEST_P(Causes, AContentLengthThatIsNotACountIsRefusedAtOnce) {
    // (An empty value is left out: cpp-httplib drops an empty header, and then reads to the close.)
    for (std::string value :
         {"abc", "-1", "+100", "0x64", "1e2", "100 100", "100, 101", "18446744073709551616", "1,"}) {
        testkit::RawServer server("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                                  value + "\r\n\r\n" + std::string(100, 'x'));
        auto e = first_error(GetParam(), server.endpoint(), "a.bin");
        EXPECT_NE(e.find("protocol: bad Content-Length header: not a decimal byte count"), std::string::npos)
            << "'" << value << "': " << e;
    }
    testkit::RawServer huge("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n" + std::string(100, 'x'));
    auto e = first_error(GetParam(), huge.endpoint(), "a.bin");
    EXPECT_NE(e.find("protocol: body larger than 1048576 bytes"), std::string::npos) << "[" << e << "]";
}

INSTANTIATE_TEST_SUITE_P(BothClients, Causes, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "async" : "blocking"; });
