// `billion sweep`: strategies over a grid of injected latencies and, optionally, one knob's
// values — the experiment that shows where a workload stops being CPU-bound and becomes
// I/O-bound.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client/client_config.hpp"
#include "harness/run/session.hpp"
#include "mock_server/config.hpp"
#include "strategies/job.hpp"

namespace billion::harness {

struct SweepSettings {
    std::vector<std::string> strategies;  // names, or "all"
    std::string param;                    // workers, processes, concurrency or batch; empty: none
    std::vector<unsigned> values;         // with param
    std::vector<std::chrono::microseconds> latencies{std::chrono::microseconds(0)};
    std::optional<std::string> url;
    mock::ServerConfig server;  // catalog.files set
    strategies::Knobs knobs;
    client::ClientConfig client;
    RunSettings run;
};

int run_sweep(const SweepSettings& settings);

}  // namespace billion::harness
