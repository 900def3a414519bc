// Where downloaded files go: `null` (counted and fingerprinted, nothing written), `files`
// (one file per download under a sharded directory tree) or `sqlite` (one row per download,
// one database per writer: sqlite_sink.hpp). One sink per worker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "client/http/names.hpp"
#include "client/stats.hpp"

namespace billion::client {

struct SinkConfig {
    enum class Kind { null, files, sqlite } kind = Kind::null;
    std::filesystem::path dir;  // with files and sqlite
    // files: every file's size (0: any). A stored file of another size was cut short by a
    // killed run: not counted as stored, and (repair_partial, when resuming) replaced.
    std::uint32_t file_size = 0;
    bool repair_partial = false;
    std::uint32_t shard_width = 3;        // files: see shard_of
    NameRule names = NameRule::contract;  // what a stored name may be (verification reads it back)
    std::filesystem::path ledger;         // not empty: every name handed to the sink is recorded there (ledger.hpp)
};

class Sink {
public:
    virtual ~Sink() = default;
    // Stores one whole file; counts it (or the write failure) in stats.
    virtual void write(std::string_view name, std::string_view bytes, WorkerStats& stats) = 0;
    // The worker is done: a sink that stores later than write() (writer_thread.hpp) stores what
    // it holds now and counts it in stats. The others have nothing left to do.
    virtual void close(WorkerStats& /*stats*/) {}
};

// Throws StageError (write) when the directory cannot be used.
std::unique_ptr<Sink> open_sink(const SinkConfig& config);
// A worker's sink, or nothing when it cannot be opened: then its cause is counted in stats
// (write, fatal), and the worker downloads nothing. Every strategy opens its sinks this way.
std::unique_ptr<Sink> open_sink_counted(const SinkConfig& config, WorkerStats& stats);

// The shard directory of a name, relative to the sink's root: `width` hex digits of the name's
// hash (16^width directories, one level). shard_width_for picks the width from the files
// expected, so a directory holds at most about 10,000 of them up to 655 M files and about
// 15,000 at 10^9 (65,536 directories), and a small run does not pay for thousands of
// directories it barely uses (1,000 files: 16 directories). Unknown (0): 3, 4,096 directories.
std::string shard_of(std::string_view name, std::uint32_t width);
std::uint32_t shard_width_for(std::uint64_t files);

// The sink kinds by name, once: the command line, the JSON, the cluster wire.
inline constexpr std::pair<const char*, SinkConfig::Kind> kSinkKinds[] = {
    {"null", SinkConfig::Kind::null}, {"files", SinkConfig::Kind::files}, {"sqlite", SinkConfig::Kind::sqlite}};
const char* to_string(SinkConfig::Kind k);
// The kind called name, or nothing.
std::optional<SinkConfig::Kind> sink_kind(std::string_view name);

}  // namespace billion::client
