// billion_sink_bench: what storing one 100-byte file costs, without HTTP: Google Benchmarks
// BM_Store/<how>, one thread, N files into a fresh directory (tmpfs unless BILLION_SINK_DIR
// says otherwise). The raw ways a file can be created, side by side (the candidates of the
// files sink), and the three sinks themselves. scripts/bench-sinks prints their ratios.
//   excl_flat      openat(O_CREAT|O_EXCL) + write + close in one directory: the file system's pace
//   excl           the same under the final name in the sink's shard tree
//   tmpfile_proc   O_TMPFILE + write + linkat("/proc/self/fd/N", AT_SYMLINK_FOLLOW)
//   tmpfile_empty  O_TMPFILE + write + linkat(fd, "", AT_EMPTY_PATH) (needs CAP_DAC_READ_SEARCH)
//   rename         a hidden temporary name + write + renameat2(RENAME_NOREPLACE)
//   sink_files, sink_sqlite, sink_null   the sinks, as a strategy's worker calls them
// And BM_CreateLoop/writers:N: the bare create loop, open(O_CREAT|O_EXCL) + write + close into
// 256 shard directories, no fsync, N threads sharing the files: the file system's own ceiling,
// which no sink can beat (scripts/bench-sinks: the combined ceiling of network and disk).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "client/processes/fd_io.hpp"
#include "client/sinks/sink.hpp"
#include "harness/bench/sink_bench_dirs.hpp"
#include "harness/bench/sink_bench_loop.hpp"
#include "mock_server/catalog.hpp"

using namespace billion;
namespace fs = std::filesystem;

namespace {

enum How { excl_flat, excl, tmpfile_proc, tmpfile_empty, rename_into, sink_files, sink_sqlite, sink_null };
const char* const kNames[] = {"excl_flat", "excl",       "tmpfile_proc", "tmpfile_empty",
                              "rename",    "sink_files", "sink_sqlite",  "sink_null"};

int store_raw(How how, int root, const std::string& path, const std::string& bytes) {
    int fd = -1;
    switch (how) {
        case excl_flat:
        case excl:
            fd = ::openat(root, path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
            if (fd < 0) return errno;
            break;
        case tmpfile_proc:
        case tmpfile_empty:
            fd = ::openat(root, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
            if (fd < 0) return errno;
            break;
        case rename_into: {
            const std::string tmp = path.substr(0, 6) + ".part-" + path.substr(6);
            fd = ::openat(root, tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
            if (fd < 0) return errno;
            if (!client::write_all(fd, bytes)) return EIO;
            ::close(fd);
            return ::renameat2(root, tmp.c_str(), root, path.c_str(), RENAME_NOREPLACE) == 0 ? 0 : errno;
        }
        default: return EINVAL;
    }
    int err = client::write_all(fd, bytes) ? 0 : EIO;
    if (err == 0 && how == tmpfile_proc) {
        char proc[64];
        std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        err = ::linkat(AT_FDCWD, proc, root, path.c_str(), AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
    } else if (err == 0 && how == tmpfile_empty) {
        err = ::linkat(fd, "", root, path.c_str(), AT_EMPTY_PATH) == 0 ? 0 : errno;
    }
    ::close(fd);
    return err;
}

void BM_Store(benchmark::State& state) {
    const auto how = static_cast<How>(state.range(0));
    const fs::path dir = sink_bench::fresh_dir(kNames[how]);
    const auto width = client::shard_width_for(static_cast<std::uint64_t>(state.max_iterations));
    if (how != excl_flat && how != sink_files && how != sink_sqlite && how != sink_null)
        sink_bench::make_shards(dir, width);
    const int root = ::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    mock::Catalog catalog{.files = static_cast<std::uint64_t>(state.max_iterations)};
    std::string bytes = catalog.content(0);
    std::unique_ptr<client::Sink> sink;
    client::WorkerStats stats;
    if (how >= sink_files) {
        const auto kind = how == sink_files    ? client::SinkConfig::Kind::files
                          : how == sink_sqlite ? client::SinkConfig::Kind::sqlite
                                               : client::SinkConfig::Kind::null;
        client::SinkConfig config{kind, dir};
        config.shard_width = width;
        sink = client::open_sink_counted(config, stats);  // a sink that cannot open: its cause, below
    }
    std::uint64_t i = 0;
    for (auto _ : state) {
        const std::string name = catalog.name(i++);
        if (how >= sink_files) {
            if (!sink) {
                state.SkipWithError(stats.first_error);
                break;
            }
            sink->write(name, bytes, stats);
        } else {
            const std::string path = how == excl_flat ? name : client::shard_of(name, width) + "/" + name;
            if (int err = store_raw(how, root, path, bytes)) {
                state.SkipWithError(("cannot store " + path + ": " + std::strerror(err)).c_str());
                break;
            }
        }
    }
    sink.reset();  // commits (sqlite) before the count below
    if (stats.failed()) state.SkipWithError(stats.first_error);
    state.counters["files_per_s"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
    ::close(root);
    sink_bench::done_with(dir);
}

// N writers, each its share of the files (Google Benchmark runs the loop on N threads, started
// together; thread 0 makes the directory and the 256 shards before the timed loop).
void BM_CreateLoop(benchmark::State& state) {
    const auto writers = static_cast<std::uint64_t>(state.threads());
    // Named without fresh_dir's counter: every thread computes the same path.
    const fs::path dir = sink_bench::base_dir() /
                         ("billion-sink-bench-" + std::to_string(::getpid()) + "-loop" + std::to_string(writers));
    if (state.thread_index() == 0) {
        std::error_code ec;  // a directory that cannot be made fails the first store, with its cause
        fs::remove_all(dir, ec);
        fs::create_directories(dir, ec);
        sink_bench::make_shards(dir, 2);
    }
    const auto per = static_cast<std::uint64_t>(state.max_iterations);
    mock::Catalog catalog{.files = per * writers};
    const std::string bytes = catalog.content(0);
    int root = -1;
    std::uint64_t i = per * static_cast<std::uint64_t>(state.thread_index()), done = 0;
    for (auto _ : state) {
        if (root < 0) root = ::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);  // made by thread 0 by now
        const std::string name = catalog.name(i++);
        const std::string path = client::shard_of(name, 2) + "/" + name;
        if (int err = store_raw(excl, root, path, bytes)) {
            state.SkipWithError(("cannot store " + path + ": " + std::strerror(err)).c_str());
            break;
        }
        ++done;
    }
    state.counters["files_per_s"] = benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
    if (root >= 0) ::close(root);
    if (state.thread_index() == 0) sink_bench::done_with(dir);  // after every thread's timed loop
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t files = 100000;
    if (const char* env = std::getenv("BILLION_SINK_FILES")) files = std::atoll(env);
    if (files <= 0) {
        std::fprintf(stderr, "billion_sink_bench: BILLION_SINK_FILES must be a positive count\n");
        return 2;
    }
    for (int how = excl_flat; how <= sink_null; ++how)
        benchmark::RegisterBenchmark((std::string("BM_Store/") + kNames[how]).c_str(), BM_Store)
            ->Arg(how)
            ->Iterations(files)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
    for (int writers : {1, 2})
        benchmark::RegisterBenchmark("BM_CreateLoop", BM_CreateLoop)
            ->Threads(writers)
            ->Iterations(files / writers)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
#ifdef BILLION_LOOP_BENCH
    register_loop_benchmarks(files);
#endif
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
