// billion_sink_bench's directories, shared by its benchmarks (sink_bench_main.cpp,
// sink_bench_loop.cpp): where they write, a fresh directory a run, the shard directories, and
// whether the files stay.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "client/tmpfs.hpp"

namespace billion::sink_bench {

// BILLION_SINK_KEEP=1: leave each benchmark's files (the caller removes them). On a disk that
// discards online, deleting 10^5 files slows the file creation that follows it several-fold
// (the machine notes: the same loop ran at 12k to 84k files/s by what was deleted before).
inline bool keep_files() {
    const char* keep = std::getenv("BILLION_SINK_KEEP");
    return keep && std::string(keep) == "1";
}

// BILLION_SINK_DIR, or tmpfs when there is one.
inline std::filesystem::path base_dir() {
    const char* base = std::getenv("BILLION_SINK_DIR");
    return base ? std::filesystem::path(base) : client::tmpfs_or_temp_dir();
}

// A new, empty directory for one run of `how`: kept files are never deleted under a later run.
// One that cannot be made fails the first store, with its cause.
inline std::filesystem::path fresh_dir(const std::string& how) {
    static int runs = 0;
    const auto dir =
        base_dir() / ("billion-sink-bench-" + std::to_string(::getpid()) + "-" + how + "-" + std::to_string(runs++));
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    return dir;
}

// The sink's 16^width shard directories, made before timing (the sink makes each on its first
// file). One that cannot be made fails its first store, with its cause.
inline void make_shards(const std::filesystem::path& dir, std::uint32_t width) {
    char buf[8];
    for (unsigned i = 0; i < (1u << (4 * width)); ++i) {
        std::snprintf(buf, sizeof buf, "%0*x", static_cast<int>(width), i);
        std::error_code ec;
        std::filesystem::create_directories(dir / buf, ec);
    }
}

// After the timed loop (not counted): the run's files go unless they are to stay.
inline void done_with(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!keep_files()) std::filesystem::remove_all(dir, ec);
}

}  // namespace billion::sink_bench
