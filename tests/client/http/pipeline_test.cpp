// HTTP/1.1 pipelining in the asynchronous client (--pipeline): a connection that fails in the
// middle of a pipeline (a stall, a reset, a body cut short) costs each unanswered request
// exactly one more try, on its own: every file arrives once, none is lost.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "client/http/async_api.hpp"
#include "tests/support/loopback.hpp"

using namespace billion;

namespace {

std::string body_of(const std::string& name) {
    return (name + std::string(100, '.')).substr(0, 100);
}

// Answers GET /get/NAME with 100 bytes made from NAME, in order, as many as are pipelined. On
// its first connection it misbehaves after `good` answers: it stalls (reads on, answers
// nothing), resets, or sends half an answer and closes; or throttles (answers that one
// request 429 with Retry-After: 1, then goes on). Later connections behave.
class PipelineServer {
public:
    enum class Fault { stall, reset, truncate, throttle };
    PipelineServer(Fault fault, int good) : fault_(fault), good_(good) {
        listener_ = testkit::listen_loopback(port_);  // bound and listening: ready
        acceptor_ = std::thread([this] { accept_all(); });
    }
    ~PipelineServer() {
        stop_ = true;
        acceptor_.join();
        for (auto& t : connections_)
            t.join();
        ::close(listener_);
    }
    client::Endpoint endpoint() const { return {"127.0.0.1", port_}; }
    int asked(const std::string& name) {
        std::lock_guard lock(mutex_);
        return asked_[name];
    }

private:
    void accept_all() {
        while (!stop_) {
            pollfd p{listener_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) continue;
            const bool first = accepted_++ == 0;
            connections_.emplace_back([this, fd, first] { serve(fd, first); });
        }
    }
    void serve(int fd, bool misbehave) {
        std::string in;
        int answered = 0;
        bool stalled = false;
        char buf[4096];
        while (!stop_) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) break;
            in.append(buf, static_cast<std::size_t>(n));
            for (std::size_t end; (end = in.find("\r\n\r\n")) != std::string::npos; in.erase(0, end + 4)) {
                const auto from = in.find("/get/") + 5;
                const std::string name = in.substr(from, in.find(' ', from) - from);
                {
                    std::lock_guard lock(mutex_);
                    ++asked_[name];
                }
                if (stalled) continue;
                std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + body_of(name);
                if (misbehave && answered == good_) {
                    if (fault_ == Fault::throttle) {
                        answer = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n";
                        [[maybe_unused]] auto w = ::write(fd, answer.data(), answer.size());
                        ++answered;
                        continue;
                    }
                    if (fault_ == Fault::stall) {
                        stalled = true;  // reads the rest, answers nothing
                        continue;
                    }
                    if (fault_ == Fault::reset) {
                        linger l{1, 0};
                        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
                    } else {
                        answer.resize(answer.size() - 50);
                        [[maybe_unused]] auto w = ::write(fd, answer.data(), answer.size());
                    }
                    ::close(fd);
                    return;
                }
                [[maybe_unused]] auto w = ::write(fd, answer.data(), answer.size());
                ++answered;
            }
        }
        ::close(fd);
    }
    Fault fault_;
    int good_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    int accepted_ = 0;
    std::thread acceptor_;
    std::vector<std::thread> connections_;  // touched by the acceptor only, joined at the end
    std::mutex mutex_;
    std::map<std::string, int> asked_;
};

boost::asio::awaitable<void> fetch_all(client::AsyncApiClient& api, const std::vector<std::string>& names,
                                       std::vector<std::optional<std::string>>& out) {
    std::vector<std::string_view> views(names.begin(), names.end());
    co_await api.get_all(views);
    for (std::size_t k = 0; k < names.size(); ++k)
        if (auto bytes = api.file(k)) out[k] = std::string(*bytes);
    api.finish();
}

class Pipeline : public ::testing::TestWithParam<PipelineServer::Fault> {};

}  // namespace

TEST_P(Pipeline, AFailureMidPipelineCostsEachUnansweredRequestOneMoreTry) {
    constexpr int kGood = 3;
    PipelineServer server(GetParam(), kGood);
    std::vector<std::string> names;
    for (int k = 0; k < 8; ++k)
        names.push_back("f" + std::to_string(k) + ".bin");
    client::ClientConfig o;
    o.read_timeout = std::chrono::milliseconds(200);  // the stall is found in 0.2 s
    client::WorkerStats stats;
    std::vector<std::optional<std::string>> got(names.size());
    {
        boost::asio::io_context io;
        client::AsyncApiClient api(io.get_executor(), server.endpoint(), o, stats);
        boost::asio::co_spawn(io, fetch_all(api, names, got), boost::asio::detached);
        io.run();
    }
    for (std::size_t k = 0; k < names.size(); ++k) {
        ASSERT_TRUE(got[k]) << names[k] << ": " << stats.first_error;
        EXPECT_EQ(*got[k], body_of(names[k])) << names[k];
        // Answered in the pipeline: asked once. After the failure: once more, on its own (a
        // server that closed may not have read the rest of the pipeline: then once in all).
        const int asked = server.asked(names[k]);
        if (k < kGood || GetParam() == PipelineServer::Fault::stall)
            EXPECT_EQ(asked, k < kGood ? 1 : 2) << names[k];
        else
            EXPECT_TRUE(asked == 1 || asked == 2) << names[k] << ": " << asked;
    }
    // The client sent each unanswered request exactly once more: eight, then five again.
    EXPECT_EQ(stats.requests, names.size() + (names.size() - kGood));
    EXPECT_EQ(stats.retries, names.size() - kGood);
    EXPECT_EQ(stats.failed(), 0u) << stats.first_error;
}

// A 429 in the middle of a pipeline: the answers after it are kept, and that one request is
// asked once more, on its own, after the server's Retry-After.
TEST(PipelineThrottled, A429IsWaitedOutThenAskedOnceMore) {
    constexpr int kGood = 3;
    PipelineServer server(PipelineServer::Fault::throttle, kGood);
    std::vector<std::string> names;
    for (int k = 0; k < 8; ++k)
        names.push_back("f" + std::to_string(k) + ".bin");
    client::WorkerStats stats;
    std::vector<std::optional<std::string>> got(names.size());
    {
        boost::asio::io_context io;
        client::AsyncApiClient api(io.get_executor(), server.endpoint(), client::ClientConfig{}, stats);
        boost::asio::co_spawn(io, fetch_all(api, names, got), boost::asio::detached);
        io.run();
    }
    EXPECT_EQ(stats.retry_wait_us, 1'000'000u);  // Retry-After: 1, waited once before the retry
    for (std::size_t k = 0; k < names.size(); ++k) {
        ASSERT_TRUE(got[k]) << names[k] << ": " << stats.first_error;
        EXPECT_EQ(*got[k], body_of(names[k])) << names[k];
        EXPECT_EQ(server.asked(names[k]), k == kGood ? 2 : 1) << names[k];
    }
    EXPECT_EQ(stats.requests, names.size() + 1);
    EXPECT_EQ(stats.retries, 1u);
    EXPECT_EQ(stats.failed(), 0u) << stats.first_error;
}

INSTANTIATE_TEST_SUITE_P(Faults, Pipeline,
                         ::testing::Values(PipelineServer::Fault::stall, PipelineServer::Fault::reset,
                                           PipelineServer::Fault::truncate),
                         [](const auto& info) {
                             switch (info.param) {
                                 case PipelineServer::Fault::stall: return std::string("stall");
                                 case PipelineServer::Fault::reset: return std::string("reset");
                                 case PipelineServer::Fault::truncate: return std::string("truncate");
                                 case PipelineServer::Fault::throttle: return std::string("throttle");
                             }
                             return std::string();
                         });
