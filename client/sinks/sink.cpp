// The null, files and sqlite sinks. The files sink creates each file under its final name with
// O_CREAT|O_EXCL, writes it whole and closes it. Why this way: it was the fastest of the ways
// measured (docs/decisions.md), and the others need a second metadata operation a file (or a
// privilege); an event loop hands its files to a writer thread (writer_thread.hpp). The price: a process killed between create and write leaves a short
// file under the final name. It is never taken for a download: --resume and the checkpoint
// count a file as stored only at its full size (client/sinks/stored.cpp) and a resuming sink
// replaces it, and verification compares every byte.
#include "client/sinks/sink.hpp"

#include "client/errors.hpp"
#include "client/hash.hpp"
#include "client/os_error.hpp"
#include "client/processes/fd_io.hpp"
#include "client/sinks/ledger.hpp"
#include "client/sinks/sqlite_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace billion::client {

const char* to_string(SinkConfig::Kind k) {
    for (const auto& [name, kind] : kSinkKinds)
        if (kind == k) return name;
    return "null";
}

std::optional<SinkConfig::Kind> sink_kind(std::string_view name) {
    for (const auto& [n, kind] : kSinkKinds)
        if (name == n) return kind;
    return std::nullopt;
}

std::string shard_of(std::string_view name, std::uint32_t width) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint64_t h = hash64(name, 0x5a4d);
    std::string dir(width, '0');
    for (std::uint32_t i = 0; i < width; ++i, h >>= 4)
        dir[i] = kHex[h & 15];
    return dir;
}

std::uint32_t shard_width_for(std::uint64_t files) {
    if (files == 0) return 3;
    std::uint32_t width = 1;
    for (std::uint64_t dirs = 16; width < 4 && dirs * 10000 < files; dirs *= 16)
        ++width;
    return width;
}

namespace {

class NullSink final : public Sink {
public:
    void write(std::string_view name, std::string_view bytes, WorkerStats& stats) override {
        stats.received.add_file(name, bytes);
        ++stats.files;
        stats.bytes += bytes.size();
    }
};

class FileSink final : public Sink {
public:
    explicit FileSink(const SinkConfig& config) : repair_(config.repair_partial), width_(config.shard_width) {
        root_ = ::open(config.dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (root_ < 0)
            throw StageError(Stage::write,
                             "cannot open output directory " + config.dir.string() + ": " + os_error(errno));
    }
    ~FileSink() override { ::close(root_); }

    void write(std::string_view name, std::string_view bytes, WorkerStats& stats) override {
        std::string path = shard_of(name, width_);
        path += '/';
        path += name;
        int err = store(path, bytes);
        if (err == EEXIST && repair_ && remove_partial(path, bytes.size())) err = store(path, bytes);
        if (err == EEXIST) {
            stats.fail(Stage::write, path + ": already written (listed twice?); kept, not overwritten");
            return;
        }
        if (err != 0) {
            stats.fail(Stage::write, path + ": " + os_error(err));
            return;
        }
        stats.received.add_file(name, bytes);
        ++stats.files;
        stats.bytes += bytes.size();
    }

private:
    // Creates the shard directory of path (idempotent).
    void make_shard(const std::string& path) { ::mkdirat(root_, path.substr(0, width_).c_str(), 0755); }

    // Under the final name, never over an existing one (O_EXCL); a failed write removes what
    // it created, so only a killed process can leave a short file behind.
    int store(const std::string& path, std::string_view bytes) {
        int fd = ::openat(root_, path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0 && errno == ENOENT) {
            make_shard(path);
            fd = ::openat(root_, path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        }
        if (fd < 0) return errno;
        int err = write_all(fd, bytes) ? 0 : (errno ? errno : EIO);
        ::close(fd);
        if (err != 0) ::unlinkat(root_, path.c_str(), 0);
        return err;
    }

    // Resuming: a file of another size than the one to store was cut short by a killed run
    // (every file of a run has one size: a wrong size is refused before the sink). Removed,
    // so it is stored whole; a file of the right size stays, and the new one is a duplicate.
    bool remove_partial(const std::string& path, std::size_t size) {
        struct stat st {};
        if (::fstatat(root_, path.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            static_cast<std::size_t>(st.st_size) == size)
            return false;
        return ::unlinkat(root_, path.c_str(), 0) == 0;
    }

    int root_ = -1;
    bool repair_ = false;
    std::uint32_t width_ = 3;
};

// Any sink, with every name it is handed recorded for the exactly-once check.
class LedgeredSink final : public Sink {
public:
    LedgeredSink(std::unique_ptr<Sink> inner, const std::filesystem::path& dir)
        : inner_(std::move(inner)), ledger_(dir) {}
    void write(std::string_view name, std::string_view bytes, WorkerStats& stats) override {
        ledger_.add(name, stats);
        inner_->write(name, bytes, stats);
    }
    void close(WorkerStats& stats) override {
        inner_->close(stats);
        ledger_.flush(stats);
    }

private:
    std::unique_ptr<Sink> inner_;
    NameLedger ledger_;
};

std::unique_ptr<Sink> open_bare_sink(const SinkConfig& config) {
    switch (config.kind) {
        case SinkConfig::Kind::files: return std::make_unique<FileSink>(config);
        case SinkConfig::Kind::sqlite: return open_sqlite_sink(config.dir);
        case SinkConfig::Kind::null: break;
    }
    return std::make_unique<NullSink>();
}

}  // namespace

std::unique_ptr<Sink> open_sink(const SinkConfig& config) {
    auto sink = open_bare_sink(config);
    if (config.ledger.empty()) return sink;
    return std::make_unique<LedgeredSink>(std::move(sink), config.ledger);
}

std::unique_ptr<Sink> open_sink_counted(const SinkConfig& config, WorkerStats& stats) {
    try {
        return open_sink(config);
    } catch (...) {
        count_exception(stats, std::current_exception(), Stage::write, true);
        return nullptr;
    }
}

}  // namespace billion::client
