// The progress line (see progress.hpp).
#include "harness/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "harness/server_stats.hpp"
#include "harness/units.hpp"

namespace billion::harness {

Progress::Progress(const std::string& name, const client::Endpoint& server, std::uint64_t expected,
                   std::optional<ServerCounts> start)
    : enabled_(::isatty(STDERR_FILENO) && start.has_value()) {
    if (!enabled_) return;
    thread_ = std::thread([=, this] {
        auto t0 = std::chrono::steady_clock::now();
        std::unique_lock lock(mutex_);
        while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return done_; })) {
            auto now = fetch_server_counts(server);
            ++polls_;
            if (!now) continue;
            double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            auto files = now->get_ok - start->get_ok;
            double rate = elapsed > 0 ? static_cast<double>(files) / elapsed : 0;
            std::fprintf(stderr, "\r  %s: %llu files, %.0f files/s", name.c_str(),
                         static_cast<unsigned long long>(files), rate);
            if (expected && rate > 0 && files <= expected)
                std::fprintf(stderr, ", ETA %s   ",
                             format_duration(static_cast<double>(expected - files) / rate).c_str());
            std::fflush(stderr);
            shown_ = true;
        }
    });
}

std::uint64_t Progress::stop() {
    if (!thread_.joinable()) return polls_;
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    cv_.notify_one();
    thread_.join();
    if (shown_) std::fprintf(stderr, "\r\033[K");
    return polls_;
}

}  // namespace billion::harness
