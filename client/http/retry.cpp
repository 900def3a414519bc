// Answer classification and backoff with full jitter (see retry.hpp).
#include "client/http/retry.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "client/http/page.hpp"
#include "client/s3/etag.hpp"
#include "client/s3/list_page.hpp"

namespace billion::client {

std::optional<unsigned> parse_retry_after(std::string_view v) {
    unsigned s = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
    if (ec != std::errc{} || p != v.data() + v.size()) return std::nullopt;
    return s;
}

std::optional<std::uint64_t> parse_content_length(std::string_view v) {
    // A list of one value repeated ("100, 100") is allowed by RFC 9110 (8.6) and taken by
    // Beast's parser: the blocking client takes it too, so both clients agree.
    std::optional<std::uint64_t> value;
    while (true) {
        const auto comma = v.find(',');
        std::string_view item = v.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
            item.remove_suffix(1);
        std::uint64_t n = 0;
        if (item.empty() || item.front() < '0' || item.front() > '9') return std::nullopt;  // from_chars takes '-'
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (ec != std::errc{} || p != item.data() + item.size() || (value && *value != n)) return std::nullopt;
        value = n;
        if (comma == std::string_view::npos) return value;
        v.remove_prefix(comma + 1);
    }
}

bool wait_before_retry(const ClientConfig& o, std::chrono::microseconds d) {
    // A sleeping thread is waiting too (under the teaching model, it holds no GIL meanwhile).
    HookedWait waiting(o.hook);
    const auto until = std::chrono::steady_clock::now() + d;
    while (!o.stopping()) {
        auto left = until - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kStopCheck));
    }
    return false;
}

std::chrono::microseconds RetryPolicy::backoff(int attempt) {
    // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], so retrying workers spread out.
    auto ceiling =
        std::min<std::int64_t>(std::chrono::microseconds(o_.backoff_cap).count(),
                               std::chrono::microseconds(o_.backoff_base).count() << std::min(attempt - 1, 20));
    return std::chrono::microseconds(
        std::uniform_int_distribution<std::int64_t>(0, std::max<std::int64_t>(ceiling, 1))(rng_));
}

Verdict RetryPolicy::judge(const Exchange& e, int attempt, Stage stage) {
    using T = Exchange::Transport;
    Verdict v;
    auto give_up = [&](Stage s, std::string msg, bool fatal) {
        v.kind = Verdict::Kind::give_up;
        v.stage = s;
        v.fatal = fatal;
        v.message = std::move(msg);
        return v;
    };
    auto retry = [&](std::chrono::microseconds wait, std::string why) {
        if (attempt >= o_.max_attempts)
            return give_up(stage, why + " (gave up after " + std::to_string(attempt) + " tries)", stage == Stage::list);
        v.kind = Verdict::Kind::retry;
        v.wait = wait;
        v.message = std::move(why);
        return v;
    };

    switch (e.transport) {
        case T::ok: break;
        case T::connect: {
            auto r = retry(backoff(attempt), "cannot connect: " + e.detail);
            if (r.kind == Verdict::Kind::give_up) r.stage = Stage::connect, r.fatal = true;
            return r;
        }
        case T::reset: return retry(backoff(attempt), "connection lost: " + e.detail);
        case T::timeout: return retry(backoff(attempt), "timed out: " + e.detail);
        case T::truncated: return retry(backoff(attempt), "truncated body: " + e.detail);
        case T::overlong: {
            auto r = retry(backoff(attempt), "answer longer than its Content-Length");
            if (r.kind == Verdict::Kind::give_up) r.stage = Stage::protocol;
            return r;
        }
        case T::bad_length:
            return give_up(Stage::protocol, e.detail.empty() ? kBadContentLength : e.detail, stage == Stage::list);
        case T::too_large:
            return give_up(Stage::protocol, "body larger than " + std::to_string(o_.max_file_bytes) + " bytes",
                           stage == Stage::list);
    }
    const unsigned s = e.status;
    if (s == 200 && stage == Stage::get && o_.file_size && e.body.size() != o_.file_size)
        return give_up(Stage::protocol,
                       "wrong size: " + std::to_string(e.body.size()) + " bytes, expected " +
                           std::to_string(o_.file_size) + " (--file-size); not stored",
                       false);
    if (s == 200 && stage == Stage::get && o_.s3)
        if (auto md5 = s3::etag_md5(e.etag); md5 && *md5 != s3::md5_hex(e.body)) {
            auto r = retry(backoff(attempt), "body's MD5 is not its ETag " + escape(e.etag) + "; not stored");
            if (r.kind == Verdict::Kind::give_up) r.stage = Stage::protocol;
            return r;
        }
    if (s == 200) return v;
    if (s == 404 && stage == Stage::get && !o_.s3) return give_up(Stage::get, "404 not found", false);
    if (s == 429 || s == 503) {
        auto wait = e.retry_after_s ? std::min<std::chrono::microseconds>(std::chrono::seconds(*e.retry_after_s),
                                                                          o_.retry_after_cap)
                                    : backoff(attempt);
        return retry(wait, "HTTP " + std::to_string(s));
    }
    // S3 names its errors in the body (403 SignatureDoesNotMatch, 404 NoSuchBucket, ...).
    std::string status = "HTTP " + std::to_string(s);
    if (o_.s3)
        if (auto code = s3::error_code(e.body)) status.append(" ").append(escape(*code));
    if (s >= 500 && s < 600) return retry(backoff(attempt), status);
    // 400 and anything else the API does not name: not retried. Fatal for a listing.
    return give_up(stage, status, stage == Stage::list);
}

}  // namespace billion::client
