// Interruption and resume: where a files or sqlite run stands, kept beside its output directory
// (OUT/STRATEGY.checkpoint.json) from before the first file lands until the run is verified,
// so a run stopped in any way (Ctrl-C, SIGTERM, SIGKILL, a closed terminal) can be continued
// by `compare --resume` without downloading again what is already on disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/client_config.hpp"
#include "client/http/endpoint.hpp"
#include "client/http/listing.hpp"
#include "client/sinks/sink.hpp"
#include "client/stats.hpp"
#include "harness/common/expected.hpp"

namespace billion::client {
class ApiClient;
}

namespace billion::harness {

struct Checkpoint {
    std::string strategy;
    std::string server;              // what the files came from: the URL, or the embedded catalog's settings
    std::string token;               // the first page not known to be complete ("" = the first page)
    std::uint64_t files_before = 0;  // files of the pages before it: every one on disk
    std::uint32_t shard_width = 0;   // files sink: its shard directories' width (0: not recorded)
    std::string sink;                // files or sqlite ("": not recorded)
    std::string urls;                // --urls: the list's digest (a token is a byte offset of it); "": none
};

std::filesystem::path checkpoint_path(const std::filesystem::path& run_dir);
// Written whole under a temporary name, flushed to the device, then renamed: never seen
// half-written, and a write that fails (a full disk) leaves the previous checkpoint as it was.
Expected<void> save_checkpoint(const std::filesystem::path& run_dir, const Checkpoint& c);
// The checkpoint of a run directory, or why there is none to resume from.
Expected<Checkpoint> load_checkpoint(const std::filesystem::path& run_dir);
// A run that ended verified and whole leaves OUT/STRATEGY.verified.json in the checkpoint's
// place (its files_before: every file it listed): "DIR holds a verified run of N files", read
// from it; nothing when there is none.
std::optional<std::string> finished_run(const std::filesystem::path& run_dir);
// Whether a run may go on from c: the same strategy's directory, server, URL list and sink.
// The one difference that forbids it, said in a line, or success.
Expected<void> same_run(const Checkpoint& c, const Checkpoint& now);

// Keeps a run's checkpoint current while it goes: writes it at once, then every `interval`
// (longer when a tick took long: see kBusyOutOf) moves it past the pages whose files are all
// on disk (one listing request per page, one stat per file, on its own connection and
// thread: off the strategy's hot path). The first move waits a whole interval: a run killed
// before it loses nothing (a resume skips every file already stored), and a shorter run pays
// the keeper nothing (an early first tick cost short runs much: docs/decisions.md).
class CheckpointKeeper {
public:
    CheckpointKeeper(Checkpoint start, std::filesystem::path run_dir, const client::Endpoint& server,
                     const client::ClientConfig& options, client::SinkConfig sink,
                     std::chrono::milliseconds interval = std::chrono::seconds(5));
    ~CheckpointKeeper();
    // The first write failed: why (the run does not start). Empty when it was written.
    const std::string& first_error() const { return first_error_; }

    // Stops the periodic walk (the run has ended); the checkpoint stays as last written.
    void stop();
    // After the run: stops the thread and walks on to the first page with a file missing.
    // The checkpoint on disk now (the final one, or the last one written when writing the
    // final one failed: see write_error), or nothing when every listed file is on disk (then
    // the file is removed: nothing is left to resume).
    std::optional<Checkpoint> finish();
    // After a run verified whole: the checkpoint gives way to the mark of a verified run (a
    // --resume then has nothing to do). Kept when the mark cannot be written.
    // listed: the files this run listed, from the page it started at (a resume's first page:
    // the files before it are counted from the checkpoint it resumed).
    void finish_whole(std::uint64_t listed);
    // Why the last write failed (the one on disk is older, and still true), or empty.
    const std::string& write_error() const { return write_error_; }
    // Connections it opened (not the strategy's).
    std::uint64_t connections() const { return connections_; }
    // Seconds its thread spent on ticks while the run went on (read after stop()).
    double busy_s() const { return busy_s_; }

private:
    // Walks on while pages are complete, then writes the checkpoint if it moved; false when
    // the walk cannot go on (a file missing, the listing failed), true when it reached the end
    // with every file stored.
    // until: a tick's end (kTickSlice); none after the run.
    using Until = std::optional<std::chrono::steady_clock::time_point>;
    bool advance(bool until_blocked, Until until = std::nullopt);
    bool walk_on(bool until_blocked, Until until, bool& moved);  // the walk itself; moved: past a page
    void write();                                                 // c_ to disk, or write_error_ set

    // The keeper works at most 1 / kBusyOutOf of the time: keeping pace with a fast run cost it
    // too much (docs/decisions.md). A tick stops after kTickSlice, so its first one is no
    // catch-up of a whole interval's files: the bound holds from the start.
    static constexpr int kBusyOutOf = 20;
    static constexpr std::chrono::milliseconds kTickSlice{250};

    Checkpoint c_;
    std::uint64_t started_after_ = 0;  // files before the page the run started at (a resume's)
    std::filesystem::path run_dir_;
    client::SinkConfig sink_;
    client::WorkerStats scratch_;  // its own counters: not the run's
    std::unique_ptr<client::ApiClient> api_;
    client::PageWalk walk_;
    std::optional<client::Page> page_;  // the page being checked, and how far
    std::size_t checked_ = 0;
    Checkpoint written_;  // what is on disk
    std::string first_error_, write_error_;
    std::uint64_t connections_ = 0;
    double busy_s_ = 0;

    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace billion::harness
