// Request counters of the mock server: one block per server thread, summed when read.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace billion::mock {

enum class Route { list, get, stats, other, head, count_ };
enum class Status { s200, s400, s404, s405, s429, s431, s500, s503, other, count_ };
enum class Fault { error, throttle, reset, truncate, count_ };

// Written by its own thread only (relaxed atomics so /stats may read it from another thread).
struct alignas(64) ThreadStats {
    std::atomic<std::uint64_t> connections{0};
    std::atomic<std::uint64_t> get_ok{0};      // /get answered 200 with the whole body
    std::atomic<std::uint64_t> delayed_us{0};  // injected latency (and jitter), added up
    std::array<std::atomic<std::uint64_t>, static_cast<int>(Route::count_)> routes{};
    std::array<std::atomic<std::uint64_t>, static_cast<int>(Status::count_)> statuses{};
    std::array<std::atomic<std::uint64_t>, static_cast<int>(Fault::count_)> faults{};
};

inline void bump(std::atomic<std::uint64_t>& c, std::uint64_t by = 1) {
    c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

Status status_of(unsigned code);
const char* to_string(Route r);
const char* to_string(Status s);
const char* to_string(Fault f);

}  // namespace billion::mock
