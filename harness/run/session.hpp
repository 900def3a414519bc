// What compare and sweep share: a list of cells (a strategy, its knobs, the embedded server's
// settings) run in order, each with its warm-up and repeats, then the tables, the JSON and the
// exit status. compare builds its cells from sizes x strategies, sweep from latencies x
// values; later grids (a latency column, the cluster strategy) are cells too.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "client/client_config.hpp"
#include "client/sinks/sink.hpp"
#include "harness/common/expected.hpp"
#include "harness/report/run_record.hpp"
#include "harness/report/statistics.hpp"
#include "harness/run/repeats.hpp"
#include "harness/run/server.hpp"
#include "mock_server/config.hpp"
#include "strategies/strategy.hpp"

namespace billion::harness {

// How runs repeat, where files go, how results are shown: the flags compare and sweep share.
struct RunSettings {
    client::SinkConfig::Kind sink = client::SinkConfig::Kind::null;
    std::string out;        // files sink: where; empty: a temporary directory, removed
    bool keep = false;      // keep the temporary directory
    std::string json_path;  // empty: no JSON
    RepeatRule repeats;     // how many runs each cell gets (repeats.hpp)
    bool pm_qos = true;     // keep idle cores awake during the runs (pm_qos.hpp)
    bool markdown = false;  // print the tables in Markdown
    // --max-time: each run lists no page after this long and finishes the pages it has; 0: none.
    std::chrono::microseconds max_time{0};
    // --url: about how many files the server lists; sizes the files sink's shard directories.
    std::uint64_t expect_files = 1'000'000;
    // --urls: a file of URLs downloaded instead of the listing (client/http/url_list.hpp).
    std::string urls;
    std::string urls_digest;  // its bytes' digest, set when it is opened: a checkpoint names the list
    // --s3 URL: a bucket downloaded instead of the API's listing; --api s3: the embedded server
    // spoken to as a bucket (its catalog as the bucket "billion"). Signed when AWS_* keys are set.
    std::string s3;
    bool api_s3 = false;
    // --checkpoint off: a kept run keeps no checkpoint (it cannot be resumed), to measure what
    // keeping one costs (scripts/bench-sinks).
    bool checkpoint = true;
};

struct Cell {
    const strategies::Strategy* strategy = nullptr;
    strategies::Knobs knobs;
    mock::ServerConfig server;  // the embedded server's (unused with --url); one server per run of equal ones
    std::string label;          // sweep: the cell's setting; empty in compare
    std::string dir_name;       // files sink: the run directory's name (a suffix marks warm-up and repeats)
    // The client CPU per request of this cell's runs, instead of the session's (billion talk).
    std::optional<std::chrono::microseconds> client_cpu;
};

struct Session {
    std::vector<Cell> cells;
    std::optional<std::string> url;  // any API server; none: the embedded one
    client::ClientConfig client;
    RunSettings run;
    bool resume = false;      // continue interrupted files-sink runs from their checkpoints
    bool fit_sizes = false;   // print the fit of wall time against the catalog size
    nlohmann::json settings;  // the command's own JSON settings, beside the common ones
    // Printed after the tables, from the same rows (billion talk: the talk's numbers beside).
    std::function<void(std::ostream&, const std::vector<Summary>&)> epilogue;
    // Starts the server of a cell's settings; empty: the embedded one (Server::embedded). The
    // engine's tests put an in-process mock server here (Server::attached).
    std::function<Expected<std::unique_ptr<Server>>(const mock::ServerConfig&)> start_server;
};

// Runs every cell; prints progress on stderr and the tables on stdout; writes the JSON.
// Returns the exit status (exit_codes.hpp). Rows measured before a failure (a server that
// does not start) are still printed and saved.
int run_session(const Session& session);

// The strategies (or peers) named, "all" for the talk's five ways, or a one-line error listing
// the known names.
Expected<std::vector<const strategies::Strategy*>> find_strategies(const std::vector<std::string>& names,
                                                                   bool peers_too = false);

// Bad input, said in one line ("billion: MESSAGE") before anything runs: kExitUsage.
int usage(const std::string& message);
// The strategies' names, in order.
std::vector<std::string> names_of(const std::vector<const strategies::Strategy*>& strategies);

// The exit status of runs, of `planned` runs in all: a stop request counts only where it cut
// something short.
int exit_status(const std::vector<RunRecord>& runs, std::size_t planned);

}  // namespace billion::harness
