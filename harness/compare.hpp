// `billion compare`: run strategies against one server, verify, measure, print and save.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "options.hpp"
#include "sink.hpp"
#include "strategy.hpp"

namespace billion::harness {

struct CompareSettings {
    std::vector<std::string> strategies;  // names, in order
    std::optional<std::string> url;       // any API server; none: the embedded one
    mock::Options server;                 // the embedded server's settings (catalog.files = --files)
    strategies::Options knobs;            // shared by every strategy run
    client::SinkConfig::Kind sink = client::SinkConfig::Kind::null;
    std::string out;                      // files sink: where; empty: a temporary directory, removed
    bool keep = false;                    // keep the temporary directory
    std::string json_path;                // empty: no JSON
};

// Runs the comparison; returns the exit status (see README: exit codes).
int run_compare(const CompareSettings& settings);

constexpr int kExitOk = 0;
constexpr int kExitUnverified = 1;
constexpr int kExitUsage = 2;

}  // namespace billion::harness
