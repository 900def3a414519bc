// Files completed over time, read from the server's own /stats counters in a thread of its
// own (nothing is added to the client's hot path), for the steady-state fit (steady_state.hpp) and
// the progress line on a terminal (files, rate, ETA). One kept-alive connection; at most
// kMaxSamples samples, thinned to every other one (and the interval doubled) when full, so
// memory does not grow with the run's length. Silent and empty when the server has no /stats.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/client_config.hpp"
#include "client/http/endpoint.hpp"
#include "harness/verify/verify.hpp"

namespace httplib {
class Client;
}

namespace billion::harness {

struct Sample {
    double t_s = 0;           // since the sampler started
    std::uint64_t files = 0;  // files the server served since then
};

class Sampler {
public:
    static constexpr std::size_t kMaxSamples = 256;

    // `start`: the counters before the run (none: no /stats, nothing sampled); `expected`:
    // the catalog's files, for the ETA (0: unknown).
    Sampler(const std::string& name, const client::Endpoint& server, const client::ClientConfig& client,
            std::uint64_t expected,
            std::optional<ServerCounts> start);
    ~Sampler();
    // Stops and clears the progress line. Returns the samples, in time order.
    std::vector<Sample> stop();
    // The /stats connections it opened (not the strategy's); valid after stop().
    std::uint64_t connections() const { return connections_; }

private:
    void loop(const std::string& name, std::uint64_t expected, ServerCounts start);
    void show(const std::string& name, std::uint64_t expected, const Sample& s, bool tty);

    std::unique_ptr<httplib::Client> http_;
    std::uint64_t connections_ = 0;
    bool done_ = false, shown_ = false;
    std::vector<Sample> samples_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::thread thread_;
};

}  // namespace billion::harness
