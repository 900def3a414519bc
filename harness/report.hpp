// The results of a comparison: one record per strategy run, the talk-style table and the JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "strategy.hpp"
#include "verify.hpp"

namespace billion::harness {

constexpr double kBillion = 1e9;
constexpr const char* kSchema = "billion.results/1";

struct RunRecord {
    std::string strategy;
    std::string model;
    strategies::Options options;
    strategies::Result result;
    double wall_s = 0;
    double client_cpu_s = 0;           // user + system, worker processes included
    std::optional<double> server_cpu_s;  // embedded server only
    long peak_rss_kb = 0;              // the client process (worker processes: their largest)
    std::optional<ServerCounts> server;
    Verification verification;

    double per_request_s() const;
    double files_per_s() const;
};

void print_table(std::ostream& out, const std::vector<RunRecord>& runs);
nlohmann::json run_json(const RunRecord& r);
nlohmann::json results_json(const nlohmann::json& settings, const std::vector<RunRecord>& runs);

}  // namespace billion::harness
