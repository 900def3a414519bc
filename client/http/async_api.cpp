// The asynchronous API client over Beast (see async_api.hpp).
#include "client/http/async_api.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "client/errors.hpp"
#include "client/http/listing.hpp"
#include "client/os_error.hpp"

namespace billion::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;

AsyncApiClient::AsyncApiClient(asio::any_io_executor ex, const Endpoint& server, const ClientConfig& options,
                               WorkerStats& stats)
    : stream_(ex), timer_(ex), host_(server.host), policy_(options), stats_(stats) {
    asio::ip::tcp::resolver resolver(ex);
    boost::system::error_code ec;
    endpoints_ = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec) throw StageError(Stage::connect, "cannot resolve " + server.host + ": " + ec.message());
}

void AsyncApiClient::close() {
    beast::error_code ec;
    stream_.socket().close(ec);
    connected_ = false;
}

asio::awaitable<bool> AsyncApiClient::pause(std::chrono::microseconds d) {
    // In short slices, as wait_before_retry does: a stop request cuts the wait short.
    const auto until = std::chrono::steady_clock::now() + d;
    beast::error_code ec;
    while (!policy_.options().stopping()) {
        auto left = until - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) co_return true;
        timer_.expires_after(std::min<std::chrono::steady_clock::duration>(left, kStopCheck));
        co_await timer_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    co_return false;
}

asio::awaitable<Exchange> AsyncApiClient::exchange(const std::string& target) {
    using T = Exchange::Transport;
    Exchange e;
    ++stats_.requests;
    beast::error_code ec;
    auto fail = [&](T t) {
        e.transport = t;
        e.detail = t == T::timeout
                       ? "no answer within " + std::to_string(policy_.options().read_timeout.count()) + " ms"
                       : ec.message();
        close();
        buffer_.clear();
        return e;
    };
    if (!connected_) {
        stream_.expires_after(policy_.options().connect_timeout);
        co_await stream_.async_connect(endpoints_, asio::redirect_error(use_awaitable, ec));
        if (ec) {
            fail(T::connect);
            if (ec == beast::error::timeout) {
                e.detail = "timed out after " + std::to_string(policy_.options().connect_timeout.count()) + " ms";
            } else if (int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); fd < 0) {
                e.detail = os_error(errno);  // Asio's range connect hides a socket() failure
            } else {
                ::close(fd);
            }
            co_return e;
        }
        stream_.socket().set_option(asio::ip::tcp::no_delay(true), ec);
        connected_ = true;
        ++stats_.connections;
    }
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, host_);
    stream_.expires_after(policy_.options().read_timeout);
    co_await http::async_write(stream_, req, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return fail(ec == beast::error::timeout ? T::timeout : T::reset);

    http::response_parser<http::string_body> parser;
    // A page of names can be large; a file may not exceed the configured limit.
    const std::uint64_t limit = target.starts_with("/list") ? kPageBytes : policy_.options().max_file_bytes;
    parser.body_limit(limit);
    // The header first: with one async_read, Beast 1.74 let an answer announcing 99,999,999
    // bytes through to its string body, which reserves what Content-Length announces (100 MB a
    // connection), and refused it only at the close. Refused here before a byte of it is read
    // or reserved, as the blocking client does. Cost: about 0.2-1 us of client CPU a file
    // (async, 200k files, 3 runs each way: 10.4-10.7 us before, 10.7-11.6 after).
    co_await http::async_read_header(stream_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    if (!ec && parser.content_length().value_or(0) > limit) co_return fail(T::too_large);
    if (!ec) co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    if (ec == beast::error::timeout) co_return fail(T::timeout);
    if (ec == http::error::body_limit) co_return fail(T::too_large);
    if (ec == http::error::bad_content_length) co_return fail(T::bad_length);
    if (ec == http::error::partial_message || (ec == http::error::end_of_stream && parser.is_header_done())) {
        auto announced = parser.content_length();
        auto got = parser.get().body().size();
        fail(T::truncated);
        if (announced) e.detail = "got " + std::to_string(got) + " of " + std::to_string(*announced) + " bytes";
        co_return e;
    }
    if (ec) co_return fail(T::reset);

    // Nothing was asked beyond this answer: bytes after it mean the server sent more than
    // its Content-Length said. The body cannot be trusted, nor the connection.
    if (buffer_.size() > 0) {
        e.detail = std::to_string(buffer_.size()) + " bytes beyond the body";
        co_return fail(T::overlong);
    }
    if (auto* hook = policy_.options().hook) hook->answered();  // the teaching model: per-request work
    auto& res = parser.get();
    e.status = res.result_int();
    if (auto it = res.find(http::field::retry_after); it != res.end())
        e.retry_after_s = parse_retry_after(std::string_view(it->value().data(), it->value().size()));
    e.body = std::move(res.body());
    if (!parser.keep_alive()) close();
    co_return e;
}

asio::awaitable<std::optional<Page>> AsyncApiClient::list(std::string token) {
    const std::string target = list_target(token);
    for (int attempt = 1;; ++attempt) {
        if (policy_.options().stopping()) co_return std::nullopt;  // a stop: no request starts after it
        Exchange e = co_await exchange(target);
        std::optional<Page> page;
        Verdict v = judge_list_answer(policy_, e, attempt, stats_, page);
        if (v.kind == Verdict::Kind::ok) co_return page;
        if (v.kind == Verdict::Kind::give_up) {
            stats_.fail(v.stage, v.message + " (listing " + target + ")", true);
            co_return std::nullopt;
        }
        if (!co_await pause(v.wait)) co_return std::nullopt;  // stopping: no new try
        ++stats_.retries;
    }
}

asio::awaitable<std::optional<Page>> AsyncApiClient::next_page(PageWalk& walk) {
    auto token = walk.pending();
    if (!token) {
        stats_.capped = stats_.capped || walk.capped();
        co_return std::nullopt;
    }
    auto page = co_await list(*token);
    if (page)
        follow(walk, *page, stats_);
    else
        walk.stop();
    co_return page;
}

asio::awaitable<std::optional<std::string>> AsyncApiClient::get(std::string name) {
    // A contract name needs no encoding; a wider one (--names any) is percent-encoded.
    const std::string target = "/get/" + (policy_.options().names == NameRule::any ? percent_encode(name) : name);
    const auto start = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
        if (policy_.options().stopping()) co_return std::nullopt;  // a stop: no request starts after it
        Exchange e = co_await exchange(target);
        Verdict v = policy_.judge(e, attempt, Stage::get);
        if (v.kind == Verdict::Kind::ok) {
            stats_.latency.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
                    .count()));
            co_return std::move(e.body);
        }
        if (v.kind == Verdict::Kind::give_up) {
            stats_.fail(v.stage, v.message + " (" + escape(name) + ")", v.fatal);
            co_return std::nullopt;
        }
        if (!co_await pause(v.wait)) co_return std::nullopt;  // stopping: no new try
        ++stats_.retries;
    }
}

}  // namespace billion::client
