// One measured, verified run of a strategy: what ran, what it did, what it cost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/host/storage.hpp"
#include "harness/run/steady_state.hpp"
#include "harness/verify/verify.hpp"
#include "strategies/strategy.hpp"

namespace billion::harness {

constexpr double kBillion = 1e9;

// The token chain of a run whose pages were handed on (combo, cluster): a step is a hand-off,
// a listing and its answer; one page a step bounds the rate whatever the workers.
struct TokenChain {
    std::uint64_t steps = 0;
    double step_s = 0;
    double files_per_page = 0;
    double ceiling_files_per_s = 0;
    double busy = 0;  // the share of the run's wall the steps took
};

struct RunRecord {
    std::string strategy;
    std::string model;
    std::string label;                // a sweep's cell ("workers=8"); empty in compare
    bool warmup = false;              // not counted in summaries
    int repeat = 0;                   // 0, 1, ... among the runs of the same cell
    std::uint64_t catalog_files = 0;  // the embedded server's catalog size (0: --url)
    std::int64_t latency_us = 0;      // the embedded server's injected latency
    strategies::Job job;              // what the strategy was asked to do
    strategies::Result result;
    double wall_s = 0;
    double client_cpu_s = 0;                // user + system, worker processes included
    double verify_s = 0;                    // the post-run check (not in wall_s)
    std::optional<double> server_cpu_s;     // embedded server only
    std::uint64_t peak_rss_kb = 0;          // the client: every process at its peak, added up
    std::uint64_t peak_rss_largest_kb = 0;  // the largest single process's peak
    std::optional<ServerCounts> server;
    Verification verification;
    std::optional<StorageNeed> storage_1e9;  // files sink: what 10^9 files would take where it wrote
    std::optional<Steady> steady;            // the steady state, when the run was sampled long enough
    std::string unsteady_why;                // why there is none

    // Seconds per file: the steady state's, or else the whole run's (wall / files).
    double per_file_s() const;
    // The whole run's wall / files, start-up included.
    double per_file_overall_s() const;
    // The start-up beside the steady per-file time (0 without a steady state).
    double startup_s() const;
    // 10^9 files: start-up + 10^9 x per file.
    double projected_1e9_s() const;
    double files_per_s() const;
    // Its token chain; nothing when no page was handed on.
    std::optional<TokenChain> token_chain() const;
};

}  // namespace billion::harness
