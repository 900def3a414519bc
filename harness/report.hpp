// The results of a comparison: one record per strategy run, the talk-style table and the JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>
#include <cstdint>

#include "strategies/strategy.hpp"
#include "harness/verify.hpp"

namespace billion::harness {

constexpr double kBillion = 1e9;
constexpr const char* kSchema = "billion.results/2";

struct RunRecord {
    std::string strategy;
    std::string model;
    std::string label;                 // a sweep's cell ("workers=8"); empty in compare
    bool warmup = false;               // not counted in summaries
    int repeat = 0;                    // 0, 1, ... among the runs of the same cell
    std::uint64_t catalog_files = 0;   // the embedded server's catalog size (0: --url)
    std::int64_t latency_us = 0;       // the embedded server's injected latency
    strategies::Options options;
    strategies::Result result;
    double wall_s = 0;
    double client_cpu_s = 0;           // user + system, worker processes included
    std::optional<double> server_cpu_s;  // embedded server only
    std::uint64_t peak_rss_kb = 0;          // the client: every process at its peak, added up
    std::uint64_t peak_rss_largest_kb = 0;  // the largest single process's peak
    std::optional<ServerCounts> server;
    Verification verification;

    double per_request_s() const;
    double files_per_s() const;
};

// The counted runs of one cell (strategy, label, catalog size), summarised.
struct Summary {
    std::string strategy;
    std::string label;
    std::uint64_t catalog_files = 0;
    std::vector<const RunRecord*> runs;  // counted runs, in order
    const RunRecord* median = nullptr;   // the run of median wall time
    double wall_min = 0, wall_max = 0, wall_cv = 0;  // coefficient of variation of wall time
    double per_request_median = 0, per_request_min = 0, per_request_max = 0;
    bool verified = true;
};
std::vector<Summary> summarize(const std::vector<RunRecord>& runs);

// wall = fixed + files x marginal, least squares over every counted run of a strategy.
struct Fit {
    std::string strategy;
    double fixed_s = 0;
    double marginal_s = 0;
    double r2 = 0;
    std::size_t points = 0;
    double projected_1e9_s() const { return fixed_s + marginal_s * kBillion; }
};
// One fit per strategy that ran at two sizes or more.
std::vector<Fit> fit_sizes(const std::vector<RunRecord>& runs);

void print_table(std::ostream& out, const std::vector<Summary>& rows, bool markdown = false);
// Per row: latency percentiles (closed-loop load), CPU per file, peak memory, connections.
void print_resources(std::ostream& out, const std::vector<Summary>& rows, bool markdown = false);
void print_fits(std::ostream& out, const std::vector<Fit>& fits, bool markdown = false);
nlohmann::json run_json(const RunRecord& r);
nlohmann::json results_json(const nlohmann::json& settings, const std::vector<RunRecord>& runs);

}  // namespace billion::harness
