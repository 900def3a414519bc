// The asynchronous API client (see async_api.hpp).
#include "client/http/async_api.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "client/errors.hpp"
#include "client/http/keep_alive.hpp"
#include "client/http/listing.hpp"
#include "client/os_error.hpp"

namespace billion::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;
using T = Exchange::Transport;

AsyncApiClient::AsyncApiClient(asio::any_io_executor ex, const Endpoint& server, const ClientConfig& options,
                               WorkerStats& stats)
    : socket_(ex), deadline_timer_(ex), pause_timer_(ex), host_(server.authority()), policy_(options), stats_(stats) {
    if (options.s3 && options.s3->credentials) signer_.emplace(*options.s3->credentials, &stats.signed_requests, &stats.signing_ns);
    asio::ip::tcp::resolver resolver(ex);
    boost::system::error_code ec;
    endpoints_ = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec) throw StageError(Stage::connect, "cannot resolve " + server.host + ": " + ec.message());
}

void AsyncApiClient::close() {
    boost::system::error_code ec;
    socket_.close(ec);
    connected_ = false;
}

void AsyncApiClient::finish() {
    finished_ = true;
    close();
    deadline_timer_.cancel();
}

// Beast's tcp_stream re-arms its timer for every operation (three a request: write, header,
// body). Here a request only stamps deadline_; the timer is armed for the first deadline and,
// when it fires, cuts the request in flight if that request is late, or sleeps until the
// current deadline. At the default 10 s read timeout it wakes about once in 10 s a
// connection. Idle, it is not re-armed, so a finished loop's run() returns.
void AsyncApiClient::stamp(std::chrono::milliseconds timeout) {
    deadline_ = clock::now() + timeout;
    in_flight_ = true;
    timed_out_ = false;
    if (!watching_ || deadline_timer_.expiry() > deadline_) watch();  // a sooner deadline (connect)
}

void AsyncApiClient::watch() {
    watching_ = true;
    deadline_timer_.expires_at(deadline_);  // cancels a wait already pending: it sees aborted
    deadline_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec == asio::error::operation_aborted) return;  // re-armed, or finished
        watching_ = false;
        if (finished_ || !in_flight_) return;
        if (clock::now() < deadline_) return watch();
        timed_out_ = true;
        close();  // the pending connect, write or read ends with an error
    });
}

asio::awaitable<bool> AsyncApiClient::pause(std::chrono::microseconds d) {
    // In short slices, as wait_before_retry does: a stop request cuts the wait short.
    const auto until = clock::now() + d;
    beast::error_code ec;
    while (!policy_.options().stopping()) {
        auto left = until - clock::now();
        if (left <= clock::duration::zero()) co_return true;
        pause_timer_.expires_after(std::min<clock::duration>(left, kStopCheck));
        co_await pause_timer_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    co_return false;
}

asio::awaitable<bool> AsyncApiClient::connect() {
    beast::error_code ec;
    stamp(policy_.options().connect_timeout);
    co_await asio::async_connect(socket_, endpoints_, asio::redirect_error(use_awaitable, ec));
    in_flight_ = false;
    if (!ec && !timed_out_) {
        socket_.set_option(asio::ip::tcp::no_delay(true), ec);
        connected_ = true;
        ++stats_.connections;
        co_return true;
    }
    answer_.transport = T::connect;
    if (timed_out_) {
        answer_.detail = "timed out after " + std::to_string(policy_.options().connect_timeout.count()) + " ms";
    } else if (int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); fd < 0) {
        answer_.detail = os_error(errno);  // Asio's range connect hides a socket() failure
    } else {
        ::close(fd);
        answer_.detail = ec.message();
    }
    close();
    co_return false;
}

void AsyncApiClient::fail(Exchange::Transport t, const beast::error_code& ec) {
    in_flight_ = false;
    answer_.transport = timed_out_ ? T::timeout : t;
    if (answer_.transport == T::timeout)
        answer_.detail = "no answer within " + std::to_string(policy_.options().read_timeout.count()) + " ms";
    else if (answer_.detail.empty())
        answer_.detail = ec.message();
    reader_.drop();
    close();
}

asio::awaitable<bool> AsyncApiClient::send() {
    beast::error_code ec;
    stamp(policy_.options().read_timeout);
    co_await asio::async_write(socket_, asio::buffer(request_), asio::redirect_error(use_awaitable, ec));
    if (ec) fail(T::reset, ec);
    co_return !ec;
}

asio::awaitable<bool> AsyncApiClient::read_answer(std::uint64_t limit, bool more) {
    Exchange& e = answer_;
    beast::error_code ec;
    stamp(policy_.options().read_timeout);
    // The parser refuses a Content-Length over the limit at the header, before a byte is reserved.
    for (bool over = reader_.start(e, limit); !over;) {
        const std::size_t n =
            co_await socket_.async_read_some(reader_.space(), asio::redirect_error(use_awaitable, ec));
        if (ec && ec != asio::error::eof) {
            fail(T::reset, ec);
            co_return false;
        }
        over = reader_.arrived(n, ec == asio::error::eof);
    }
    in_flight_ = false;
    last_used_ = clock::now();
    const bool keep = reader_.finish(e, more);
    if (e.transport != T::ok) {
        close();
        co_return false;
    }
    if (auto* hook = policy_.options().hook) hook->answered();  // the teaching model: per-request work
    if (!keep) close();
    co_return keep;
}

asio::awaitable<void> AsyncApiClient::exchange(std::string_view prefix, std::string_view path, std::uint64_t limit) {
    answer_.clear();
    ++stats_.requests;
    if (connected_ && stale(socket_.native_handle(), last_used_, policy_.options().idle_look)) close();  // closed while idle: reconnect
    if (!connected_ && !co_await connect()) co_return;
    build_request(request_, host_, prefix, path, signer_ ? &*signer_ : nullptr);
    // (Not `if (co_await send())`: built by GCC 12.2, that form crashed here with SIGILL.)
    const bool written = co_await send();
    if (written) co_await read_answer(limit, false);
}

asio::awaitable<void> AsyncApiClient::get_all(std::span<const std::string_view> names) {
    const std::size_t n = names.size();
    if (files_.size() < n) files_.resize(n);
    fetched_.assign(n, 0);
    again_.assign(n, 1);  // names fetched once more on their own
    const auto& o = policy_.options();
    const auto start = clock::now();
    bool sent = false;
    std::chrono::microseconds wait{0};  // the longest wait an answer asked for (Retry-After)
    if (connected_ && stale(socket_.native_handle(), last_used_, policy_.options().idle_look)) close();  // closed while idle: reconnect
    if (n > 1 && !o.stopping() && (connected_ || co_await connect())) {
        // Every request in one write, then the answers in order, each with its own deadline.
        request_.clear();
        for (auto name : names) {
            std::string encoded;
            if (o.names == NameRule::any) encoded = percent_encode(name);
            append_request(request_, host_, o.get_prefix, encoded.empty() ? name : std::string_view(encoded),
                               signer_ ? &*signer_ : nullptr);
        }
        stats_.requests += n;
        sent = co_await send();
        for (std::size_t k = 0; sent && k < n; ++k) {
            answer_.clear();
            const bool keep = co_await read_answer(o.max_file_bytes, k + 1 < n);
            if (answer_.transport != T::ok) break;  // reset, cut short, timed out: this one and the rest go again
            Verdict v = policy_.judge(answer_, 1, Stage::get);
            if (v.kind == Verdict::Kind::ok) {
                stats_.latency.record(static_cast<std::uint64_t>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count()));
                std::swap(answer_.body, files_[k]);
                fetched_[k] = 1;
                again_[k] = 0;
            } else if (v.kind == Verdict::Kind::give_up) {
                stats_.fail(v.stage, v.message + " (" + escape(names[k]) + ")", v.fatal);
                again_[k] = 0;
            } else {
                wait = std::max(wait, v.wait);
            }
            if (!keep) break;  // the server ended the connection here: the rest go again
        }
        sent = true;  // written or not, these are second tries now
    }
    if (wait.count() > 0 && !co_await pause(wait)) co_return;  // stopping: no new try
    for (std::size_t k = 0; k < n; ++k) {
        if (!again_[k]) continue;
        if (sent) {  // asked again: once more (the one wait before them counted with the first)
            stats_.retried(Stage::get, "no whole answer in the pipeline", wait);
            wait = {};
        }
        if (auto bytes = co_await get(names[k])) {
            std::swap(answer_.body, files_[k]);
            fetched_[k] = 1;
        }
    }
}

asio::awaitable<std::optional<Page>> AsyncApiClient::list(std::string token, MarkerSeen seen) {
    if (!policy_.options().urls_file.empty()) {
        auto page = list_urls(policy_.options(), token, stats_);
        if (page && seen) seen(page->next);
        co_return page;
    }
    const std::string target = page_target(policy_.options(), token);
    for (Tries t(policy_, stats_, Stage::list); t.next();) {
        co_await exchange("", target, kPageBytes);  // a page of names can be large
        std::optional<Page> page;
        const auto end = t.settle(judge_list_answer(policy_, answer_, t.attempt(), stats_, page, seen),
                                  [&] { return "listing " + target; });
        if (end == Tries::End::ok) co_return page;
        if (end == Tries::End::failed) co_return std::nullopt;
        if (!co_await pause(t.wait())) co_return std::nullopt;  // stopping: no new try
        t.waited();
    }
    co_return std::nullopt;
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

asio::awaitable<std::optional<std::string_view>> AsyncApiClient::get(std::string_view name) {
    // A contract name needs no encoding; a wider one (--names any) is percent-encoded.
    std::string encoded;
    if (policy_.options().names == NameRule::any) encoded = percent_encode(name);
    const std::string_view path = encoded.empty() ? name : encoded;
    const auto start = clock::now();
    for (Tries t(policy_, stats_, Stage::get); t.next();) {
        co_await exchange(policy_.options().get_prefix, path, policy_.options().max_file_bytes);
        const auto end = t.settle(policy_.judge(answer_, t.attempt(), Stage::get), [&] { return escape(name); });
        if (end == Tries::End::ok) {
            stats_.latency.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count()));
            co_return std::string_view(answer_.body);
        }
        if (end == Tries::End::failed) co_return std::nullopt;
        if (!co_await pause(t.wait())) co_return std::nullopt;  // stopping: no new try
        t.waited();
    }
    co_return std::nullopt;
}

}  // namespace billion::client
