// Running one strategy once and measuring it: wall and CPU time, peak memory, the server's
// side, verification. Shared by `compare` and `sweep`.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/embedded.hpp"
#include "harness/report.hpp"
#include "strategies/strategy.hpp"

namespace billion::harness {

// What compare and sweep share: where files go, how runs repeat, how results are shown.
struct RunSettings {
    client::SinkConfig::Kind sink = client::SinkConfig::Kind::null;
    std::string out;        // files sink: where; empty: a temporary directory, removed
    bool keep = false;      // keep the temporary directory
    std::string json_path;  // empty: no JSON
    int repeat = 1;         // counted runs of each cell
    bool warmup = true;     // with repeat > 1: one uncounted run first
    bool markdown = false;  // print the tables in Markdown
};

// The server a run downloads from: the embedded one (started here) or any --url server.
class Target {
public:
    static std::unique_ptr<Target> embedded(const mock::Options& o);  // throws on failure
    static std::unique_ptr<Target> remote(const client::Endpoint& e);

    const client::Endpoint& endpoint() const { return endpoint_; }
    const mock::Catalog* catalog() const { return server_ ? &options_.catalog : nullptr; }
    const mock::Options* options() const { return server_ ? &options_ : nullptr; }
    EmbeddedServer* server() const { return server_.get(); }

private:
    client::Endpoint endpoint_;
    mock::Options options_;
    std::unique_ptr<EmbeddedServer> server_;
};

// Where the files sink writes: a base directory, per-run subdirectories, temporary or kept.
class Output {
public:
    // kind null: nothing. Empty dir: a temporary directory on tmpfs when there is one.
    // Throws std::runtime_error with a one-line message.
    Output(client::SinkConfig::Kind kind, const std::string& dir, bool keep);
    ~Output();
    // A fresh, empty directory for one run; refuses a non-empty one unless resuming into it.
    client::SinkConfig sink_for(const std::string& run_name, bool resume = false);
    // Called after verification: a temporary run directory is removed.
    void done_with(const client::SinkConfig& sink);
    std::string describe() const;  // for the JSON: where files went
    bool kept() const { return !temporary_ && !base_.empty(); }
    const std::filesystem::path& base() const { return base_; }

private:
    client::SinkConfig::Kind kind_;
    std::filesystem::path base_;
    bool temporary_ = false;
};

struct RunSpec {
    const strategies::Strategy* strategy = nullptr;
    strategies::Options options;  // knobs and client settings; server, sink, stop are filled in
    std::string label;            // the cell of a sweep ("workers=8"), empty for compare
    bool warmup = false;
    int repeat = 0;
    std::string dir_name;  // files sink: the run's directory under the output base
    bool resume = false;   // continue an interrupted files-sink run from its checkpoint
};

// Checks --url and prepares the output; on bad input prints a one-line error, returns false.
bool prepare(const std::optional<std::string>& url, client::SinkConfig::Kind sink, const std::string& out, bool keep,
             std::optional<client::Endpoint>& remote, std::unique_ptr<Output>& output);
// The remote server, or the embedded one started with o; nullptr (error printed) on failure.
std::unique_ptr<Target> open_target(const std::optional<client::Endpoint>& remote, const mock::Options& o);
// The exit status of a set of runs, of `planned` runs in all (README: exit codes).
int exit_status(const std::vector<RunRecord>& runs, std::size_t planned);

// Runs one strategy once against target and verifies it. Prints a start and an end line.
RunRecord run_once(const RunSpec& spec, Target& target, Output& out);

}  // namespace billion::harness
