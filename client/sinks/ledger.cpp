// Names received, for the exactly-once check (see ledger.hpp).
#include "client/sinks/ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <string>

#include "client/hash.hpp"
#include "client/os_error.hpp"
#include "client/processes/fd_io.hpp"

namespace billion::client {

namespace fs = std::filesystem;

namespace {
// Digests held before a write: 4 KiB a sink (the threads strategy has one sink a thread).
constexpr std::size_t kBuffered = 512;
constexpr std::string_view kSplitPrefix = "split-";

std::string_view bytes_of(const std::vector<std::uint64_t>& v) {
    return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(std::uint64_t)};
}

// Appends the digests of a file to into; false when it cannot be read whole.
bool read_digests(const fs::path& file, std::vector<std::uint64_t>& into) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec || size % sizeof(std::uint64_t) != 0) return false;
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const std::size_t at = into.size();
    into.resize(at + size / sizeof(std::uint64_t));
    const bool ok = size == 0 || read_exact(fd, into.data() + at, size);
    ::close(fd);
    return ok;
}

std::uint64_t repeats_in(std::vector<std::uint64_t>& digests) {
    std::sort(digests.begin(), digests.end());
    std::uint64_t twice = 0;
    for (std::size_t i = 1; i < digests.size(); ++i)
        twice += digests[i] == digests[i - 1];
    return twice;
}
}  // namespace

NameLedger::NameLedger(const fs::path& dir) {
    static std::atomic<unsigned> next{0};  // at open only, never on the hot path
    const auto file = dir / (std::to_string(::getpid()) + "-" + std::to_string(next++));
    fd_ = ::open(file.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    buffer_.reserve(kBuffered);
}

NameLedger::~NameLedger() {
    WorkerStats ignored;  // flush(stats) was called by the sink's close; a destructor cannot report
    flush(ignored);
    if (fd_ >= 0) ::close(fd_);
}

void NameLedger::add(std::string_view name, WorkerStats& stats) {
    buffer_.push_back(hash64(name, 0x6c6564676572));
    if (buffer_.size() == kBuffered) flush(stats);
}

void NameLedger::flush(WorkerStats& stats) {
    if (buffer_.empty()) return;
    if (fd_ < 0 || !write_all(fd_, bytes_of(buffer_)))
        stats.fail(Stage::write, "cannot record names for the exactly-once check: " + os_error(fd_ < 0 ? EBADF : errno));
    buffer_.clear();
}

LedgerCheck check_ledgers(const fs::path& dir, std::size_t in_memory) {
    LedgerCheck c;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (!e.path().filename().string().starts_with(kSplitPrefix)) {
            files.push_back(e.path());
            c.names += e.file_size(ec) / sizeof(std::uint64_t);
        }
    if (ec) return {0, 0, "cannot read " + dir.string() + ": " + ec.message()};
    std::vector<std::uint64_t> digests;
    if (c.names <= in_memory) {
        for (const auto& f : files)
            if (!read_digests(f, digests)) return {0, 0, "cannot read " + f.string()};
        c.twice = repeats_in(digests);
        return c;
    }
    // Split by the digest's top bits into parts of about in_memory digests; equal digests
    // land in the same part.
    const std::uint64_t parts = (c.names + in_memory - 1) / in_memory;
    std::vector<int> out(parts);
    for (std::uint64_t p = 0; p < parts; ++p)
        out[p] = ::open((dir / (std::string(kSplitPrefix) + std::to_string(p))).c_str(),
                        O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0644);
    bool ok = std::all_of(out.begin(), out.end(), [](int fd) { return fd >= 0; });
    std::vector<std::vector<std::uint64_t>> held(parts);
    for (const auto& f : files) {
        digests.clear();
        ok = ok && read_digests(f, digests);
        for (const auto d : digests) {
            auto& h = held[static_cast<std::size_t>((static_cast<unsigned __int128>(d) * parts) >> 64)];
            h.push_back(d);
            if (h.size() == kBuffered * 16) {
                ok = ok && write_all(out[static_cast<std::size_t>(&h - held.data())], bytes_of(h));
                h.clear();
            }
        }
    }
    for (std::uint64_t p = 0; p < parts; ++p)
        ok = ok && write_all(out[p], bytes_of(held[p]));
    for (int fd : out)
        if (fd >= 0) ::close(fd);
    for (std::uint64_t p = 0; ok && p < parts; ++p) {
        const auto part = dir / (std::string(kSplitPrefix) + std::to_string(p));
        digests.clear();
        ok = read_digests(part, digests);
        c.twice += repeats_in(digests);
        fs::remove(part, ec);
    }
    if (!ok) return {0, 0, "cannot split the name digests in " + dir.string()};
    return c;
}

}  // namespace billion::client
