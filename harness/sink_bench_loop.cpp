// billion_sink_bench's BM_Loop/<how>/<work_us>: storage as an event loop sees it. The loop spends
// work_us of CPU a file (its HTTP; 8 us is the async client's CPU a file on the null sink,
// results/2vcpu/bench-sinks.md), then hands the file to storage; files/s is the loop's rate with
// storage drained at the end. Does the loop wait for the disk, and what frees it:
//   inline       the loop creates the file itself: O_EXCL + write + close (today's files sink)
//   writer       a writer thread creates it; the loop hands over batches of 64 names through a
//                bounded queue (tbb::concurrent_bounded_queue of 8 batches)
//   uring        io_uring: openat into a fixed slot, write, close, linked, 32 files a submit;
//                the kernel creates them inside the submit when it can (liburing)
//   uring_async  the same with IOSQE_ASYNC: the kernel's io-wq threads create them
// The verdict (keep what wins by 15 % or more) is in results/2vcpu/bench-sinks-loop.md.
#include "harness/sink_bench_loop.hpp"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <liburing.h>
#include <tbb/concurrent_queue.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "client/processes/fd_io.hpp"
#include "client/sinks/sink.hpp"
#include "mock_server/catalog.hpp"

using namespace billion;
namespace fs = std::filesystem;

namespace {

enum How { inline_create, writer_thread, uring, uring_async };
const char* const kHow[] = {"inline", "writer", "uring", "uring_async"};

constexpr std::size_t kBatch = 64;        // names a hand-over to the writer thread
constexpr std::size_t kQueueBatches = 8;  // hand-overs the queue holds before the loop waits
constexpr unsigned kRingFiles = 32;       // files a submit (three linked operations each)

// The loop's own work for one file: CPU spent without a syscall, as parsing and bookkeeping are.
void spin(std::chrono::nanoseconds work) {
    const auto until = std::chrono::steady_clock::now() + work;
    while (std::chrono::steady_clock::now() < until) {
    }
}

int create(int root, const std::string& path, const std::string& bytes) {
    const int fd = ::openat(root, path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    const int err = client::write_all(fd, bytes) ? 0 : EIO;
    ::close(fd);
    return err;
}

// Stores files as the loop hands them over; finish() waits for all of them. A first error is kept.
class Storage {
public:
    virtual ~Storage() = default;
    virtual void store(std::string path) = 0;
    virtual void finish() = 0;
    std::string error;
};

class InlineStorage final : public Storage {
public:
    InlineStorage(int root, const std::string& bytes) : root_(root), bytes_(bytes) {}
    void store(std::string path) override {
        if (int err = create(root_, path, bytes_); err && error.empty()) error = path + ": " + std::strerror(err);
    }
    void finish() override {}

private:
    int root_;
    const std::string& bytes_;
};

class WriterStorage final : public Storage {
public:
    WriterStorage(int root, const std::string& bytes) : inline_(root, bytes) {
        queue_.set_capacity(kQueueBatches);
        writer_ = std::thread([this] {
            for (std::vector<std::string> batch;;) {
                queue_.pop(batch);
                if (batch.empty()) return;  // finish()'s mark
                for (auto& path : batch)
                    inline_.store(std::move(path));
            }
        });
    }
    ~WriterStorage() override { finish(); }
    void store(std::string path) override {
        batch_.push_back(std::move(path));
        if (batch_.size() == kBatch) hand_over();
    }
    void finish() override {
        if (!writer_.joinable()) return;
        if (!batch_.empty()) hand_over();
        queue_.push({});
        writer_.join();
        error = inline_.error;
    }

private:
    void hand_over() {
        queue_.push(std::move(batch_));
        batch_ = {};
        batch_.reserve(kBatch);
    }
    InlineStorage inline_;
    tbb::concurrent_bounded_queue<std::vector<std::string>> queue_;
    std::vector<std::string> batch_;
    std::thread writer_;
};

// Two halves of kRingFiles slots each: one half fills while the other's operations complete.
class UringStorage final : public Storage {
public:
    UringStorage(int root, const std::string& bytes, bool async) : root_(root), bytes_(bytes), async_(async) {
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
    void store(std::string path) override {
        if (!error.empty()) return;
        auto& half = paths_[half_];
        half.push_back(std::move(path));
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
    const char* base = std::getenv("BILLION_SINK_DIR");
    static int runs = 0;  // a never-used directory a run (see keep_files in sink_bench_main.cpp)
    const fs::path dir =
        fs::path(base ? base : (fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp")) /
        ("billion-sink-bench-" + std::to_string(::getpid()) + "-loop-" + kHow[how] + "-" + std::to_string(runs++));
    fs::create_directories(dir);
    for (int i = 0; i < 256; ++i) {
        char shard[4];
        std::snprintf(shard, sizeof shard, "%02x", i);
        fs::create_directories(dir / shard);
    }
    const int root = ::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    mock::Catalog catalog{.files = static_cast<std::uint64_t>(state.max_iterations)};
    const std::string bytes = catalog.content(0);
    std::unique_ptr<Storage> storage;
    if (how == inline_create) storage = std::make_unique<InlineStorage>(root, bytes);
    if (how == writer_thread) storage = std::make_unique<WriterStorage>(root, bytes);
    if (how == uring || how == uring_async) storage = std::make_unique<UringStorage>(root, bytes, how == uring_async);
    const auto files = static_cast<std::uint64_t>(state.max_iterations);
    std::uint64_t i = 0;
    for (auto _ : state) {
        spin(work);
        const std::string name = catalog.name(i++);
        storage->store(client::shard_of(name, 2) + "/" + name);
        if (i == files) storage->finish();  // inside the timed loop: every file stored
    }
    if (!storage->error.empty()) state.SkipWithError(storage->error.c_str());
    storage.reset();
    state.counters["files_per_s"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
    ::close(root);
    const char* keep = std::getenv("BILLION_SINK_KEEP");
    if (!(keep && std::string(keep) == "1")) fs::remove_all(dir);
}

}  // namespace

void register_loop_benchmarks(std::int64_t files) {
    for (int work : {0, 8})
        for (int how = inline_create; how <= uring_async; ++how)
            benchmark::RegisterBenchmark(
                (std::string("BM_Loop/") + kHow[how] + "/work_us:" + std::to_string(work)).c_str(), BM_Loop,
                static_cast<How>(how), std::chrono::microseconds(work))
                ->Iterations(files)
                ->Unit(benchmark::kMicrosecond)
                ->UseRealTime();
}
