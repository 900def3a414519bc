// The sampler (see sampler.hpp).
#include "harness/run/sampler.hpp"

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "harness/common/format.hpp"
#include "harness/run/server_stats.hpp"

namespace billion::harness {

namespace {
// The first interval: short enough that a run of a few dozen intervals has a slope to fit
// (kMinSteadySamples in its middle). Each poll costs
// the server one small answer and the client a few microseconds; doubling the interval as
// samples accumulate keeps a long run's polls to about 128 per doubling of its length.
constexpr std::chrono::microseconds kFirstInterval{2000};
constexpr std::chrono::milliseconds kShowEvery{500};
// Not a terminal (a log, a long run under nohup): a whole line this often instead.
constexpr std::chrono::seconds kLogEvery{60};
}  // namespace

Sampler::Sampler(const std::string& name, const client::Endpoint& server, const client::ClientConfig& client,
                 std::uint64_t expected, std::optional<ServerCounts> start) {
    if (!start) return;
    http_ = std::make_unique<httplib::Client>(server.host, server.port);
    http_->set_keep_alive(true);
    bound_stats_timeouts(*http_, client);
    http_->set_socket_options([this](auto) { ++connections_; });
    samples_.reserve(kMaxSamples);
    thread_ = std::thread([this, name, expected, s = *start] { loop(name, expected, s); });
}

Sampler::~Sampler() {
    stop();
}

void Sampler::loop(const std::string& name, std::uint64_t expected, ServerCounts start) {
    const auto t0 = std::chrono::steady_clock::now();
    auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kFirstInterval);
    auto next = t0 + interval;
    const bool tty = ::isatty(STDERR_FILENO);
    using Duration = std::chrono::steady_clock::duration;
    const Duration show_every = tty ? Duration(kShowEvery) : Duration(kLogEvery);
    auto next_show = t0 + show_every;
    std::unique_lock lock(mutex_);
    while (!cv_.wait_until(lock, next, [this] { return done_; })) {
        lock.unlock();
        auto now = fetch_server_counts(*http_);
        const auto at = std::chrono::steady_clock::now();
        lock.lock();
        next += interval;
        if (next < at) next = at + interval;  // a slow answer: no burst to catch up
        if (!now) continue;
        const Sample s{std::chrono::duration<double>(at - t0).count(), now->get_ok - start.get_ok};
        if (samples_.size() == kMaxSamples) {
            // Full: keep every other sample and sample half as often from now on.
            for (std::size_t i = 0; i < kMaxSamples / 2; ++i)
                samples_[i] = samples_[2 * i + 1];
            samples_.resize(kMaxSamples / 2);
            interval *= 2;
        }
        samples_.push_back(s);
        if (at >= next_show) {
            show(name, expected, s, tty);
            next_show = at + show_every;
        }
    }
}

void Sampler::show(const std::string& name, std::uint64_t expected, const Sample& s, bool tty) {
    const double rate = s.t_s > 0 ? static_cast<double>(s.files) / s.t_s : 0;
    std::fprintf(stderr, "%s  %s: %s files, %s files/s, %s elapsed", tty ? "\r" : "", name.c_str(),
                 grouped(s.files).c_str(), grouped(static_cast<std::uint64_t>(rate)).c_str(),
                 format_duration(s.t_s).c_str());
    if (expected && rate > 0 && s.files <= expected)
        std::fprintf(stderr, ", ETA %s", format_duration(static_cast<double>(expected - s.files) / rate).c_str());
    std::fprintf(stderr, tty ? "   " : "\n");
    std::fflush(stderr);
    shown_ = tty;  // a terminal's line is cleared at the end; a log's lines stay
}

std::vector<Sample> Sampler::stop() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_one();
        thread_.join();
        http_.reset();
        if (shown_) std::fprintf(stderr, "\r\033[K");
    }
    return std::move(samples_);
}

}  // namespace billion::harness
