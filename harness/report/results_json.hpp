// The results document (results/SCHEMA.md): settings, machine, every run, the summaries and
// the size fits, written as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "client/client_config.hpp"
#include "client/sinks/sink.hpp"
#include "harness/report/run_record.hpp"
#include "mock_server/config.hpp"

namespace billion::harness {

constexpr const char* kSchema = "billion.results/3";

nlohmann::json run_json(const RunRecord& r);
// combo, cluster: the token chain's mean step and the ceiling it puts on files/s (null for the
// strategies without one).
nlohmann::json token_chain_json(const RunRecord& r);
nlohmann::json results_json(const nlohmann::json& settings, const std::vector<RunRecord>& runs);
// The "settings" every command shares: sink, output, server (embedded or --url), client.
nlohmann::json common_settings(const std::optional<std::string>& url, const mock::ServerConfig& server,
                               const client::ClientConfig& client, client::SinkConfig::Kind sink,
                               const std::string& out);
// Writes the document; false when it cannot (the caller says so).
bool write_json(const std::string& path, const nlohmann::json& doc);

}  // namespace billion::harness
