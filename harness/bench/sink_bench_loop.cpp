// billion_sink_bench's BM_Loop/<how>/<work_us>: storage as an event loop sees it. The loop spends
// work_us of CPU a file (its HTTP: the async client's CPU a file, docs/decisions.md), then hands the file to storage; files/s is the loop's rate with
// every file stored. Does the loop wait for the disk, and what frees it:
//   files_inline   the files sink, on the loop's thread: O_EXCL + write + close
//   files_writer   the files sink behind its writer thread (client/sinks/writer_thread.hpp)
//   uring          io_uring: openat into a fixed slot, write, close, linked, 32 files a submit;
//                  the kernel creates them inside the submit when it can (liburing)
//   uring_async    the same with IOSQE_ASYNC: the kernel's io-wq threads create them
//   sqlite_inline, sqlite_writer   the sqlite sink, the same two ways
// The verdict (keep what wins by 15 % or more) is in docs/decisions.md.
#include "harness/bench/sink_bench_loop.hpp"
#include "harness/bench/sink_bench_dirs.hpp"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <liburing.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "client/sinks/sink.hpp"
#include "client/sinks/writer_thread.hpp"
#include "mock_server/catalog.hpp"

using namespace billion;
namespace fs = std::filesystem;

namespace {

enum How { files_inline, files_writer, uring, uring_async, sqlite_inline, sqlite_writer };
const char* const kHow[] = {"files_inline", "files_writer", "uring", "uring_async", "sqlite_inline", "sqlite_writer"};

constexpr unsigned kRingFiles = 32;  // files a submit (three linked operations each)

// The loop's own work for one file: CPU spent without a syscall, as parsing and bookkeeping are.
void spin(std::chrono::nanoseconds work) {
    const auto until = std::chrono::steady_clock::now() + work;
    while (std::chrono::steady_clock::now() < until) {
    }
}

// Stores files as the loop hands them over; finish() waits for all of them. A first error is kept.
class Storage {
public:
    virtual ~Storage() = default;
    virtual void store(const std::string& name) = 0;
    virtual void finish() = 0;
    std::string error;
};

// Through billion's own sinks, inline or behind their writer thread (client/sinks/).
class SinkStorage final : public Storage {
public:
    SinkStorage(client::SinkConfig::Kind kind, const fs::path& dir, bool writer, const std::string& bytes)
        : bytes_(bytes) {
        client::SinkConfig config{kind, dir};
        config.shard_width = 2;  // the 256 directories made before timing
        sink_ = client::open_sink_counted(config, stats_);
        if (sink_ && writer) sink_ = client::behind_writer_thread(std::move(sink_));
        if (!sink_) error = stats_.first_error;
    }
    void store(const std::string& name) override {
        if (sink_) sink_->write(name, bytes_, stats_);
    }
    void finish() override {
        if (!sink_) return;
        sink_->close(stats_);
        sink_.reset();  // sqlite commits
        if (stats_.failed() && error.empty()) error = stats_.first_error;
    }

private:
    const std::string& bytes_;
    client::WorkerStats stats_;
    std::unique_ptr<client::Sink> sink_;
};

// Two halves of kRingFiles slots each: one half fills while the other's operations complete.
class UringStorage final : public Storage {
public:
    UringStorage(int root, const std::string& bytes, bool async) : root_(root), bytes_(bytes), async_(async) {
        if (root < 0) {
            error = "cannot open the benchmark's directory";
            return;
        }
        if (int err = io_uring_queue_init(8 * kRingFiles, &ring_, 0); err < 0) {
            error = std::string("io_uring_queue_init: ") + std::strerror(-err);
            return;
        }
        ready_ = true;
        for (auto& half : paths_)
            half.reserve(kRingFiles);  // the kernel reads a path at submit: it must not move before
        if (int err = io_uring_register_files_sparse(&ring_, 2 * kRingFiles); err < 0)
            error = std::string("io_uring_register_files_sparse: ") + std::strerror(-err);
    }
    ~UringStorage() override {
        finish();
        if (ready_) io_uring_queue_exit(&ring_);
    }
    void store(const std::string& name) override {
        if (!error.empty()) return;
        auto& half = paths_[half_];
        half.push_back(client::shard_of(name, 2) + "/" + name);
        const unsigned slot = half_ * kRingFiles + static_cast<unsigned>(half.size() - 1);
        prepare(half.back().c_str(), slot);
        if (half.size() == kRingFiles) submit();
    }
    void finish() override {
        if (!ready_ || !error.empty()) return;
        if (!paths_[half_].empty()) submit();
        finish_all();
    }

private:
    void prepare(const char* path, unsigned slot) {
        const unsigned extra = async_ ? IOSQE_ASYNC : 0;
        io_uring_sqe* open = io_uring_get_sqe(&ring_);
        io_uring_prep_openat_direct(open, root_, path, O_CREAT | O_EXCL | O_WRONLY, 0644,
                                    slot);  // no O_CLOEXEC: EINVAL for a slot
        open->flags |= IOSQE_IO_LINK | extra;
        io_uring_sqe_set_data64(open, half_);
        io_uring_sqe* write = io_uring_get_sqe(&ring_);
        io_uring_prep_write(write, static_cast<int>(slot), bytes_.data(), static_cast<unsigned>(bytes_.size()), 0);
        write->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK | extra;
        io_uring_sqe_set_data64(write, half_);
        io_uring_sqe* close = io_uring_get_sqe(&ring_);
        io_uring_prep_close_direct(close, slot);
        close->flags |= extra;
        io_uring_sqe_set_data64(close, half_);
        inflight_[half_] += 3;
    }
    // Submits the filled half, then waits until the other half's operations are done, so its
    // slots and paths can be reused (completions come in any order: counted by half).
    void submit() {
        if (int err = io_uring_submit(&ring_); err < 0) error = std::string("io_uring_submit: ") + std::strerror(-err);
        half_ ^= 1;
        reap(half_);
        paths_[half_].clear();
    }
    void finish_all() {
        reap(0);
        reap(1);
    }
    // Completions until none of this half's operations is in flight.
    void reap(unsigned half) {
        while (inflight_[half] > 0) {
            io_uring_cqe* cqe = nullptr;
            if (int err = io_uring_wait_cqe(&ring_, &cqe); err < 0) {
                error = std::string("io_uring_wait_cqe: ") + std::strerror(-err);
                return;
            }
            if (cqe->res < 0 && error.empty()) error = std::string("io_uring: ") + std::strerror(-cqe->res);
            --inflight_[io_uring_cqe_get_data64(cqe)];
            io_uring_cqe_seen(&ring_, cqe);
        }
    }

    io_uring ring_{};
    int root_;
    const std::string& bytes_;
    bool async_;
    bool ready_ = false;
    std::vector<std::string> paths_[2];
    unsigned half_ = 0;
    unsigned inflight_[2] = {0, 0};
};

void BM_Loop(benchmark::State& state, How how, std::chrono::microseconds work) {
    const fs::path dir = sink_bench::fresh_dir(std::string("loop-") + kHow[how]);
    sink_bench::make_shards(dir, 2);
    const int root = ::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    mock::Catalog catalog{.files = static_cast<std::uint64_t>(state.max_iterations)};
    const std::string bytes = catalog.content(0);
    std::unique_ptr<Storage> storage;
    if (how == uring || how == uring_async)
        storage = std::make_unique<UringStorage>(root, bytes, how == uring_async);
    else
        storage = std::make_unique<SinkStorage>(how == sqlite_inline || how == sqlite_writer
                                                    ? client::SinkConfig::Kind::sqlite
                                                    : client::SinkConfig::Kind::files,
                                                dir, how == files_writer || how == sqlite_writer, bytes);
    const auto files = static_cast<std::uint64_t>(state.max_iterations);
    std::uint64_t i = 0;
    for (auto _ : state) {
        spin(work);
        const std::string name = catalog.name(i++);
        storage->store(name);
        if (i == files) storage->finish();  // inside the timed loop: every file stored
    }
    if (!storage->error.empty()) state.SkipWithError(storage->error.c_str());
    storage.reset();
    state.counters["files_per_s"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
    ::close(root);
    sink_bench::done_with(dir);
}

}  // namespace

void register_loop_benchmarks(std::int64_t files) {
    for (int work : {0, 8})
        for (int how = files_inline; how <= sqlite_writer; ++how)
            benchmark::RegisterBenchmark(
                (std::string("BM_Loop/") + kHow[how] + "/work_us:" + std::to_string(work)).c_str(), BM_Loop,
                static_cast<How>(how), std::chrono::microseconds(work))
                ->Iterations(files)
                ->Unit(benchmark::kMicrosecond)
                ->UseRealTime();
}
