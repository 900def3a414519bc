// What a client does with an answer (shared/API.md's error table) and how long it waits
// before the next try: one policy for every strategy, blocking or asynchronous.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "client/stats.hpp"

namespace billion::client {

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds read_timeout{10000};
    int max_attempts = 6;                          // per request, the first try included
    std::chrono::milliseconds backoff_base{5};     // first backoff; doubles each try
    std::chrono::milliseconds backoff_cap{1000};
    std::chrono::milliseconds retry_after_cap{10000};  // a longer Retry-After is cut to this
    std::uint32_t max_file_bytes = 1u << 20;       // a larger body is a protocol error
    // Every file has this many bytes (the API's default; the server may be told another): a
    // file of another size is refused, never stored. 0: any size up to max_file_bytes.
    std::uint32_t file_size = 100;
    // Set on Ctrl-C: a request in flight may finish, but no new try starts and no backoff
    // is waited out. Worker processes see it only when it lives in shared memory (SharedFlag, ipc.hpp).
    const std::atomic<bool>* stop = nullptr;

    bool stopping() const { return stop && stop->load(std::memory_order_relaxed); }
};

// How one HTTP exchange ended, as seen by either kind of client.
struct Exchange {
    enum class Transport { ok, connect, reset, timeout, truncated, too_large, overlong } transport = Transport::ok;
    unsigned status = 0;
    std::optional<unsigned> retry_after_s;
    std::string body;
    std::string detail;  // transport error text
};

struct Verdict {
    enum class Kind { ok, retry, give_up } kind = Kind::ok;
    std::chrono::microseconds wait{0};  // with retry
    Stage stage = Stage::get;           // with give_up: where it is counted
    bool fatal = false;                 // with give_up: the run cannot go on
    std::string message;                // with give_up
};

class RetryPolicy {
public:
    explicit RetryPolicy(const ClientOptions& o, std::uint64_t seed = std::random_device{}()) : o_(o), rng_(seed) {}
    // attempt counts from 1. stage is list or get.
    Verdict judge(const Exchange& e, int attempt, Stage stage);
    const ClientOptions& options() const { return o_; }

private:
    std::chrono::microseconds backoff(int attempt);
    ClientOptions o_;
    std::mt19937_64 rng_;
};

// Blocking: waits d before the next try, in short slices so a stop request cuts it short.
// False when the run is stopping (then no new try starts).
bool wait_before_retry(const ClientOptions& o, std::chrono::microseconds d);
// How long one slice of such a wait lasts (the asynchronous client waits the same way).
inline constexpr std::chrono::milliseconds kStopCheck{20};

// Parses Retry-After as delta-seconds (the HTTP-date form is not used by the API).
std::optional<unsigned> parse_retry_after(std::string_view value);

}  // namespace billion::client
