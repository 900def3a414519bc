// A progress line on a terminal (files, rate, ETA), read from the server's own /stats
// counters in a thread of its own: nothing is added to the client's hot path. Silent when
// stderr is not a terminal or the server has no /stats.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/http/endpoint.hpp"
#include "harness/verify.hpp"

namespace billion::harness {

class Progress {
public:
    Progress(const std::string& name, const client::Endpoint& server, std::uint64_t expected,
             std::optional<ServerCounts> start);
    ~Progress() { stop(); }
    // Stops and clears the line; returns how many /stats connections it opened (not the strategy's).
    std::uint64_t stop();

private:
    bool enabled_;
    bool done_ = false, shown_ = false;
    std::uint64_t polls_ = 0;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::thread thread_;
};

}  // namespace billion::harness
