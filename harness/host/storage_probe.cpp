// The files-against-sqlite probe of a files run's directory (see storage_probe.hpp).
#include "harness/host/storage_probe.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "client/errors.hpp"
#include "client/sinks/sink.hpp"
#include "harness/common/format.hpp"
#include "mock_server/catalog.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

namespace {

// Microseconds a file to store `files` catalog files through a new sink of this kind in dir.
Expected<double> time_sink(client::SinkConfig::Kind kind, const fs::path& dir, std::uint64_t files) {
    const mock::Catalog catalog{.files = files};
    const auto start = std::chrono::steady_clock::now();
    client::WorkerStats stats;
    {
        client::SinkConfig config{kind, dir};
        config.shard_width = client::shard_width_for(files);
        auto sink = client::open_sink_counted(config, stats);
        for (std::uint64_t i = 0; sink && i < files && !stats.failed(); ++i)
            sink->write(catalog.name(i), catalog.content(i), stats);
    }  // sqlite commits here
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    if (stats.failed()) return std::string(stats.first_error);
    return took.count() / static_cast<double>(files);
}

}  // namespace

Expected<StorageProbe> probe_storage(const fs::path& dir, std::uint64_t files) {
    StorageProbe probe{dir, files};
    const fs::path scratch = dir / (".billion-storage-probe-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::create_directories(scratch / "files", ec);
    fs::create_directories(scratch / "sqlite", ec);
    auto file_us = time_sink(client::SinkConfig::Kind::files, scratch / "files", files);
    auto row_us = file_us ? time_sink(client::SinkConfig::Kind::sqlite, scratch / "sqlite", files) : file_us;
    fs::remove_all(scratch, ec);
    if (!file_us) return file_us.error();
    if (!row_us) return row_us.error();
    probe.file_us = file_us.value();
    probe.row_us = row_us.value();
    return probe;
}

std::string sqlite_advice(const StorageProbe& p) {
    if (p.row_us <= 0 || p.file_us < kSqliteAdviceRatio * p.row_us) return "";
    char line[512];
    std::snprintf(line, sizeof line,
                  "storage: in %s a file took %.1f us to store and a sqlite row %.1f us (%.1fx; %s of each, "
                  "measured before the runs): --sink sqlite stores there faster, verified the same way",
                  p.where.c_str(), p.file_us, p.row_us, p.file_us / p.row_us, grouped(p.files).c_str());
    return line;
}

}  // namespace billion::harness
