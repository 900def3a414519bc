// `billion compare`: run strategies against one server, verify, measure, print and save.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/exit_codes.hpp"
#include "mock_server/options.hpp"
#include "harness/runner.hpp"
#include "client/sink.hpp"
#include "strategies/strategy.hpp"

namespace billion::harness {

struct CompareSettings {
    std::vector<std::string> strategies;  // names, in order
    std::vector<std::string> peers;       // aria2c, curl: extra rows
    std::optional<std::string> url;       // any API server; none: the embedded one
    mock::Options server;                 // the embedded server's settings
    std::vector<std::uint64_t> sizes;     // catalog sizes (--files, or --sizes a,b,c)
    strategies::Options knobs;            // shared by every strategy run
    RunSettings run;
    bool resume = false;                  // continue interrupted runs from their checkpoints
};

// Runs the comparison; returns the exit status (see README: exit codes).
int run_compare(const CompareSettings& settings);


// Shared with sweep: the strategies named, or an error message.
std::vector<const strategies::Strategy*> find_strategies(const std::vector<std::string>& names, std::string& error);
// The JSON "settings" common to compare and sweep.
nlohmann::json common_settings(const std::optional<std::string>& url, const mock::Options& server,
                               const strategies::Options& knobs, client::SinkConfig::Kind sink,
                               const std::string& out);
// Writes the results document; false (and a message on stderr) when it cannot.
bool write_json(const std::string& path, const nlohmann::json& doc);

}  // namespace billion::harness
