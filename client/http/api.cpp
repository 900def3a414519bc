// The blocking API client over cpp-httplib (see api.hpp).
#include "client/http/api.hpp"

#include <httplib.h>

#include <chrono>
#include <thread>

#include "client/http/listing.hpp"
#include "client/os_error.hpp"

namespace billion::client {

ApiClient::ApiClient(const Endpoint& server, const ClientConfig& options, WorkerStats& stats)
    : http_(std::make_unique<httplib::Client>(server.host, server.port)),
      server_(server),
      policy_(options),
      stats_(stats) {
    // httplib's client closes the connection after each request unless told otherwise.
    http_->set_keep_alive(true);
    http_->set_tcp_nodelay(true);
    http_->set_decompress(false);
    http_->set_connection_timeout(options.connect_timeout);
    http_->set_read_timeout(options.read_timeout);
    http_->set_write_timeout(options.read_timeout);
    // Called once per new socket: counts the connections this worker opened.
    http_->set_socket_options([this](socket_t) { ++stats_.connections; });
}

ApiClient::~ApiClient() = default;

Exchange ApiClient::exchange(const std::string& target) {
    Exchange e;
    ++stats_.requests;
    const auto start = std::chrono::steady_clock::now();
    // The body through a receiver, so a short one can be told from a reset: httplib reports
    // both as Error::Read, but the headers (with Content-Length) came first when it was short.
    std::optional<std::size_t> announced;
    const auto& o = policy_.options();
    const std::uint64_t body_limit = target.starts_with("/list") ? kPageBytes : o.max_file_bytes;
    std::optional<HookedWait> waiting(o.hook);  // the teaching model: a GIL let go while waiting
    auto res = http_->Get(
        target,
        [&](const httplib::Response& r) {
            // Checked as the asynchronous client's parser checks it, before any body is read: a
            // value that is not a count, or one over the limit, ends the exchange (and httplib
            // closes the connection, whose framing can no longer be trusted).
            if (!r.has_header("Content-Length")) return true;
            announced = parse_content_length(r.get_header_value("Content-Length"));
            if (!announced)
                e.transport = Exchange::Transport::bad_length;
            else if (*announced > body_limit)
                e.transport = Exchange::Transport::too_large;
            return e.transport == Exchange::Transport::ok;
        },
        [&](const char* data, std::size_t n) {
            e.body.append(data, n);
            return true;
        });
    waiting.reset();
    if (o.hook) o.hook->answered();                        // the teaching model: an interpreter's per-request work
    if (e.transport != Exchange::Transport::ok) return e;  // refused at the headers
    if (!res) {
        const auto err = res.error();
        switch (err) {
            case httplib::Error::Connection:
                e.transport = Exchange::Transport::connect;
                e.detail = connect_failure(server_, policy_.options().connect_timeout);
                break;
            case httplib::Error::ConnectionTimeout:
                e.transport = Exchange::Transport::connect;
                e.detail = "timed out after " + std::to_string(policy_.options().connect_timeout.count()) + " ms";
                break;
            default:
                // A read timeout, a reset and a short body all come as Error::Read: the headers
                // tell a short body, the time it took a timeout.
                if (announced && e.body.size() < *announced) {
                    e.transport = Exchange::Transport::truncated;
                    e.detail = "got " + std::to_string(e.body.size()) + " of " + std::to_string(*announced) + " bytes";
                } else if (std::chrono::steady_clock::now() - start >= policy_.options().read_timeout * 9 / 10) {
                    e.transport = Exchange::Transport::timeout;
                    e.detail = "no answer within " + std::to_string(policy_.options().read_timeout.count()) + " ms";
                } else {
                    e.transport = Exchange::Transport::reset;
                    e.detail = announced ? "the connection ended mid-answer"
                                         : "the connection was closed or reset before an answer";
                }
                break;
        }
        return e;
    }
    e.status = static_cast<unsigned>(res->status);
    if (res->has_header("Retry-After")) e.retry_after_s = parse_retry_after(res->get_header_value("Retry-After"));
    if (e.body.size() > body_limit && e.status == 200) e.transport = Exchange::Transport::too_large;
    return e;
}

std::optional<Page> ApiClient::list(const std::string& token) {
    const std::string target = list_target(token);
    for (int attempt = 1;; ++attempt) {
        if (policy_.options().stopping()) return std::nullopt;  // a stop: no request starts after it
        Exchange e = exchange(target);
        std::optional<Page> page;
        Verdict v = judge_list_answer(policy_, e, attempt, stats_, page);
        if (v.kind == Verdict::Kind::ok) return page;
        if (v.kind == Verdict::Kind::give_up) {
            stats_.fail(v.stage, v.message + " (listing " + target + ")", true);
            return std::nullopt;
        }
        if (!wait_before_retry(policy_.options(), v.wait)) return std::nullopt;  // stopping: no new try
        ++stats_.retries;
    }
}

std::optional<Page> ApiClient::next_page(PageWalk& walk) {
    auto token = walk.pending();
    if (!token) {
        stats_.capped = stats_.capped || walk.capped();
        return std::nullopt;
    }
    auto page = list(*token);
    if (page)
        follow(walk, *page, stats_);
    else
        walk.stop();
    return page;
}

std::optional<std::string> ApiClient::get(const std::string& name) {
    // A contract name needs no encoding; a wider one (--names any) is percent-encoded.
    const std::string target = "/get/" + (policy_.options().names == NameRule::any ? percent_encode(name) : name);
    const auto start = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
        if (policy_.options().stopping()) return std::nullopt;  // a stop: no request starts after it
        Exchange e = exchange(target);
        Verdict v = policy_.judge(e, attempt, Stage::get);
        if (v.kind == Verdict::Kind::ok) {
            stats_.latency.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
                    .count()));
            return std::move(e.body);
        }
        if (v.kind == Verdict::Kind::give_up) {
            stats_.fail(v.stage, v.message + " (" + escape(name) + ")", v.fatal);
            return std::nullopt;
        }
        if (!wait_before_retry(policy_.options(), v.wait)) return std::nullopt;  // stopping: no new try
        ++stats_.retries;
    }
}

}  // namespace billion::client
