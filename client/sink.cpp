// The null and files sinks. The files sink creates each file unnamed (O_TMPFILE), writes it
// whole, then links it under its final name: a file is never visible half-written, and it
// costs one inode creation and one link, not a temporary name plus a rename.
#include "client/sink.hpp"

#include "client/errors.hpp"
#include "client/fd_io.hpp"
#include "client/hash.hpp"
#include "client/os_error.hpp"
#include "client/sqlite_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace billion::client {

const char* to_string(SinkConfig::Kind k) {
    switch (k) {
        case SinkConfig::Kind::files: return "files";
        case SinkConfig::Kind::sqlite: return "sqlite";
        case SinkConfig::Kind::null: break;
    }
    return "null";
}

std::string shard_of(std::string_view name) {
    std::uint64_t h = hash64(name, 0x5a4d);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02x/%02x", static_cast<unsigned>(h & 63), static_cast<unsigned>((h >> 6) & 63));
    return buf;
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
    explicit FileSink(const std::filesystem::path& dir) {
        root_ = ::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (root_ < 0)
            throw StageError(Stage::write, "cannot open output directory " + dir.string() + ": " + os_error(errno));
    }
    ~FileSink() override { ::close(root_); }

    void write(std::string_view name, std::string_view bytes, WorkerStats& stats) override {
        std::string path = shard_of(name);
        path += '/';
        path += name;
        int err = tmpfile_ ? store_unnamed(path, bytes) : store_renamed(path, bytes);
        if (err == EOPNOTSUPP || err == EISDIR) {  // no O_TMPFILE on this file system
            tmpfile_ = false;
            err = store_renamed(path, bytes);
        }
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
    // Creates the two shard directories of path (idempotent).
    void make_shard(const std::string& path) {
        std::string top = path.substr(0, 2), leaf = path.substr(0, 5);
        ::mkdirat(root_, top.c_str(), 0755);
        ::mkdirat(root_, leaf.c_str(), 0755);
    }

    int link_unnamed(int fd, const std::string& path) {
        char proc[64];
        std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        return ::linkat(AT_FDCWD, proc, root_, path.c_str(), AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
    }

    int store_unnamed(const std::string& path, std::string_view bytes) {
        int fd = ::openat(root_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0) return errno;
        int err = write_all(fd, bytes) ? 0 : (errno ? errno : EIO);
        if (err == 0) {
            err = link_unnamed(fd, path);
            if (err == ENOENT) {
                make_shard(path);
                err = link_unnamed(fd, path);
            }
        }
        ::close(fd);  // unlinked on error: nothing is left behind
        return err;
    }

    int store_renamed(const std::string& path, std::string_view bytes) {
        std::string tmp = path.substr(0, 6) + ".part-" + std::to_string(::getpid()) + "-" + path.substr(6);
        int fd = ::openat(root_, tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0 && errno == ENOENT) {
            make_shard(path);
            fd = ::openat(root_, tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        }
        if (fd < 0) return errno;
        int err = write_all(fd, bytes) ? 0 : (errno ? errno : EIO);
        ::close(fd);
        // RENAME_NOREPLACE: a name that exists already is a duplicate, never overwritten.
        if (err == 0 && ::renameat2(root_, tmp.c_str(), root_, path.c_str(), RENAME_NOREPLACE) != 0) err = errno;
        if (err != 0) ::unlinkat(root_, tmp.c_str(), 0);
        return err;
    }

    int root_ = -1;
    bool tmpfile_ = true;
};

}  // namespace

std::unique_ptr<Sink> open_sink(const SinkConfig& config) {
    switch (config.kind) {
        case SinkConfig::Kind::files: return std::make_unique<FileSink>(config.dir);
        case SinkConfig::Kind::sqlite: return open_sqlite_sink(config.dir);
        case SinkConfig::Kind::null: break;
    }
    return std::make_unique<NullSink>();
}

}  // namespace billion::client
