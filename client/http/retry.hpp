// What a client does with an answer (docs/API.md's error table) and how long it waits
// before the next try: one policy for every strategy, blocking or asynchronous.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "client/client_config.hpp"
#include "client/stats.hpp"

namespace billion::client {

// The most bytes a page of names may have (a file's limit is ClientConfig::max_file_bytes).
inline constexpr std::uint64_t kPageBytes = std::uint64_t{256} << 20;

// How one HTTP exchange ended, as seen by either kind of client.
struct Exchange {
    enum class Transport {
        ok,
        connect,
        reset,
        timeout,
        truncated,
        too_large,
        overlong,
        bad_length
    } transport = Transport::ok;
    unsigned status = 0;
    std::optional<unsigned> retry_after_s;
    std::string body;
    std::string etag;    // the ETag header (S3), storage reused
    std::string detail;  // transport error text

    // Ready for the next request: nothing of the last answer kept but the body's storage.
    void clear() {
        transport = Transport::ok;
        status = 0;
        retry_after_s.reset();
        body.clear();
        etag.clear();
        detail.clear();
    }
};

struct Verdict {
    enum class Kind { ok, retry, give_up } kind = Kind::ok;
    std::chrono::microseconds wait{0};  // with retry
    Stage stage = Stage::get;           // with give_up: where it is counted
    bool fatal = false;                 // with give_up: the run cannot go on
    std::string message;                // with give_up; with retry, why
};

class RetryPolicy {
public:
    explicit RetryPolicy(const ClientConfig& o, std::uint64_t seed = std::random_device{}()) : o_(o), rng_(seed) {}
    // attempt counts from 1. stage is list or get.
    Verdict judge(const Exchange& e, int attempt, Stage stage);
    const ClientConfig& options() const { return o_; }

private:
    std::chrono::microseconds backoff(int attempt);
    ClientConfig o_;
    std::mt19937_64 rng_;
};

// The tries of one request, counted the same way by both clients' list and get loops, which
// differ only in how they wait (blocking, or co_await): a try's verdict ends the request (ok;
// or given up, counted as a failure of its stage with what was asked), or asks for a wait,
// the retry counted once it is waited out.
class Tries {
public:
    Tries(const RetryPolicy& policy, WorkerStats& stats, Stage stage)
        : options_(policy.options()), stats_(stats), stage_(stage) {}
    // Another try may start (counted): false once the run is stopping (no request starts after a stop).
    bool next() {
        ++attempt_;
        return !options_.stopping();
    }
    int attempt() const { return attempt_; }
    enum class End { ok, failed, wait };
    // What verdict v means; what() names what was asked (called only for a failure's message).
    template <class What>
    End settle(const Verdict& v, What what) {
        if (v.kind == Verdict::Kind::ok) return End::ok;
        if (v.kind == Verdict::Kind::give_up) {
            stats_.fail(v.stage, v.message + " (" + what() + ")", v.fatal);
            return End::failed;
        }
        pending_ = v;
        return End::wait;
    }
    std::chrono::microseconds wait() const { return pending_.wait; }
    void waited() { stats_.retried(stage_, pending_.message, pending_.wait); }

private:
    const ClientConfig& options_;
    WorkerStats& stats_;
    Stage stage_;
    int attempt_ = 0;
    Verdict pending_;
};

// Blocking: waits d before the next try, in slices of kStopCheck so a stop request cuts it short.
// False when the run is stopping (then no new try starts).
bool wait_before_retry(const ClientConfig& o, std::chrono::microseconds d);

// Parses Retry-After as delta-seconds (the HTTP-date form is not used by the API).
std::optional<unsigned> parse_retry_after(std::string_view value);
// Parses Content-Length as HTTP defines it: one decimal count, digits only (no sign, no
// spaces, no list), that fits in 64 bits. Nothing for anything else: a protocol failure.
std::optional<std::uint64_t> parse_content_length(std::string_view value);
// The message of that failure, the same from both clients (the asynchronous one meets it in
// Beast's parser, which does not keep the value).
inline constexpr const char* kBadContentLength = "bad Content-Length header: not a decimal byte count";

}  // namespace billion::client
