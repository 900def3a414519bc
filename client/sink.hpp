// Where downloaded files go: `null` (counted and fingerprinted, nothing written), `files`
// (one file per download under a sharded directory tree) or `sqlite` (one row per download,
// one database per writer: sqlite_sink.hpp). One sink per worker.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "client/stats.hpp"

namespace billion::client {

struct SinkConfig {
    enum class Kind { null, files, sqlite } kind = Kind::null;
    std::filesystem::path dir;  // with files and sqlite
};

class Sink {
public:
    virtual ~Sink() = default;
    // Stores one whole file; counts it (or the write failure) in stats.
    virtual void write(std::string_view name, std::string_view bytes, WorkerStats& stats) = 0;
};

// Throws std::runtime_error when the directory cannot be used.
std::unique_ptr<Sink> open_sink(const SinkConfig& config);

// The shard directory of a name, relative to the sink's root: "xx/yy" (64 x 64 directories,
// from the name's hash), so 10^9 files spread to about 244,000 per directory.
std::string shard_of(std::string_view name);

const char* to_string(SinkConfig::Kind k);

}  // namespace billion::client
