// `billion sweep`: one strategy over a grid of one knob's values and injected latencies —
// the experiment that shows where a workload stops being CPU-bound and becomes I/O-bound.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client/client_config.hpp"
#include "harness/session.hpp"
#include "mock_server/config.hpp"
#include "strategies/job.hpp"

namespace billion::harness {

struct SweepSettings {
    std::string strategy;
    std::string param;  // workers, processes, concurrency or batch
    std::vector<unsigned> values;
    std::vector<std::chrono::microseconds> latencies{std::chrono::microseconds(0)};
    std::optional<std::string> url;
    mock::ServerConfig server;  // catalog.files set
    strategies::Knobs knobs;
    client::ClientConfig client;
    RunSettings run;
};

int run_sweep(const SweepSettings& settings);

}  // namespace billion::harness
