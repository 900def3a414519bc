// `billion compare`: every strategy named, at every catalog size, against one server (the
// embedded one, or --url), each run verified; the talk's table, the resources, the size fit.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/client_config.hpp"
#include "harness/run/session.hpp"
#include "mock_server/config.hpp"
#include "strategies/job.hpp"

namespace billion::harness {

struct CompareSettings {
    std::vector<std::string> strategies{"all"};  // names, in order, or "all"
    std::vector<std::string> peers;              // aria2c, curl: extra rows
    std::optional<std::string> url;              // any API server; none: the embedded one
    mock::ServerConfig server;                   // the embedded server's settings
    std::vector<std::uint64_t> sizes;            // catalog sizes (--files, or --sizes a,b,c)
    std::vector<std::chrono::microseconds> latencies{std::chrono::microseconds(0)};  // one server each
    strategies::Knobs knobs;                                                         // shared by every strategy run
    client::ClientConfig client;
    RunSettings run;
    bool resume = false;  // continue interrupted runs from their checkpoints
    // The flags given on the command line that only some strategies or sinks use (workers,
    // processes, concurrency, pipeline, batch, ranks, keep): one that none chosen uses is said.
    std::vector<std::string> given;
};

// Runs the comparison; returns the exit status (README: exit codes).
int run_compare(const CompareSettings& settings);

}  // namespace billion::harness
