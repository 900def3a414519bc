// The writer thread behind an event loop's sink (writer_thread.hpp).
#include "client/sinks/writer_thread.hpp"

#include <tbb/concurrent_queue.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace billion::client {

namespace {

constexpr std::size_t kBatchFiles = 64;       // files a hand-over: one queue operation per 64 files
constexpr std::size_t kBatchBytes = 1 << 20;  // or fewer, when they hold 1 MiB (--file-size goes to 1 MiB)
constexpr std::ptrdiff_t kBatches = 8;        // hand-overs queued before the loop waits

// Files handed over together: names and contents back to back in one buffer (two allocations a
// batch, none a file).
struct Batch {
    std::string data;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sizes;  // name, bytes; in data's order
    bool last = false;                                           // close(): the writer ends here
};

class WriterThreadSink final : public Sink {
public:
    explicit WriterThreadSink(std::unique_ptr<Sink> inner) : inner_(std::move(inner)) {
        queue_.set_capacity(kBatches);
        writer_ = std::thread([this] { store_batches(); });
    }
    ~WriterThreadSink() override {
        WorkerStats dropped;  // close() was not called (an exception unwinds the worker): stored, not counted
        close(dropped);
    }

    // The loop's side: copies the file into the batch; hands the batch over when it is full.
    void write(std::string_view name, std::string_view bytes, WorkerStats& /*counted at close*/) override {
        batch_.data.append(name);
        batch_.data.append(bytes);
        batch_.sizes.emplace_back(static_cast<std::uint32_t>(name.size()), static_cast<std::uint32_t>(bytes.size()));
        if (batch_.sizes.size() == kBatchFiles || batch_.data.size() >= kBatchBytes) hand_over();
    }

    void close(WorkerStats& stats) override {
        if (!writer_.joinable()) return;
        batch_.last = true;
        hand_over();
        writer_.join();
        inner_->close(written_);
        inner_.reset();  // sqlite commits its last rows here, on this thread (the writer is gone)
        stats.merge(written_);
    }

private:
    void hand_over() {
        queue_.push(std::move(batch_));  // waits while the writer is kBatches behind
        batch_ = Batch{};
        batch_.data.reserve(kBatchFiles * 128);  // 100-byte files and their names: no growth
        batch_.sizes.reserve(kBatchFiles);
    }

    // The writer's side: every batch, in order, through the real sink, counted in written_.
    void store_batches() {
        for (Batch batch;;) {
            queue_.pop(batch);
            std::size_t at = 0;
            for (auto [name_size, bytes_size] : batch.sizes) {
                const std::string_view name(batch.data.data() + at, name_size);
                const std::string_view bytes(batch.data.data() + at + name_size, bytes_size);
                inner_->write(name, bytes, written_);
                at += name_size + bytes_size;
            }
            if (batch.last) return;
        }
    }

    std::unique_ptr<Sink> inner_;
    WorkerStats written_;  // the writer thread's alone until close() joins it
    tbb::concurrent_bounded_queue<Batch> queue_;
    Batch batch_;  // the loop's, filling
    std::thread writer_;
};

}  // namespace

std::unique_ptr<Sink> open_writer_sink_counted(const SinkConfig& config, WorkerStats& stats) {
    auto inner = open_sink_counted(config, stats);
    if (!inner || config.kind != SinkConfig::Kind::files) return inner;  // null, sqlite: inline (see the header)
    return behind_writer_thread(std::move(inner));
}

std::unique_ptr<Sink> behind_writer_thread(std::unique_ptr<Sink> inner) {
    return std::make_unique<WriterThreadSink>(std::move(inner));
}

}  // namespace billion::client
