// Checkpoints of files-sink runs (see checkpoint.hpp).
#include "harness/run/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>

#include "client/http/api.hpp"
#include "client/os_error.hpp"
#include "client/processes/fd_io.hpp"
#include "client/sinks/stored.hpp"
#include "harness/common/format.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

fs::path checkpoint_path(const fs::path& run_dir) {
    return run_dir.parent_path() / (run_dir.filename().string() + ".checkpoint.json");
}

namespace {

fs::path verified_path(const fs::path& run_dir) {
    return run_dir.parent_path() / (run_dir.filename().string() + ".verified.json");
}

Expected<void> save(const fs::path& path, const Checkpoint& c) {
    nlohmann::json j = {{"strategy", c.strategy}, {"server", c.server},       {"token", c.token},
                        {"files_before", c.files_before}, {"shard_width", c.shard_width}, {"sink", c.sink},
                        {"urls", c.urls}};
    const std::string body = j.dump(2) + "\n";
    const fs::path tmp = path.string() + ".tmp";
    auto failed = [&](int err) -> Expected<void> {
        ::unlink(tmp.c_str());
        return "cannot write " + path.string() + ": " + client::os_error(err);
    };
    // POSIX calls, each checked: a stream reports a full disk only when it closes, after the
    // check, and a rename of the empty file would then replace a good checkpoint.
    const int fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return failed(errno);
    const bool written = client::write_all(fd, body) && ::fsync(fd) == 0;
    const int err = errno ? errno : EIO;
    if (::close(fd) != 0 && written) return failed(errno);
    if (!written) return failed(err);
    if (::rename(tmp.c_str(), path.c_str()) != 0) return failed(errno);
    // The rename itself made durable (a crash after it must not bring back the older file).
    if (const int dir = ::open(path.parent_path().c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return outcome::success();
}

Expected<Checkpoint> load(const fs::path& path) {
    std::ifstream f(path);
    if (!f) return "no checkpoint " + path.string() + " to resume from";
    auto j = nlohmann::json::parse(f, nullptr, false);
    try {
        return Checkpoint{j.at("strategy").get<std::string>(),    j.at("server").get<std::string>(),
                          j.at("token").get<std::string>(),       j.at("files_before").get<std::uint64_t>(),
                          j.value("shard_width", 0u),             j.value("sink", std::string()),
                          j.value("urls", std::string())};
    } catch (const nlohmann::json::exception&) {
        return "checkpoint " + path.string() + " is damaged; remove it to start over";
    }
}

}  // namespace

Expected<void> save_checkpoint(const fs::path& run_dir, const Checkpoint& c) {
    return save(checkpoint_path(run_dir), c);
}

Expected<Checkpoint> load_checkpoint(const fs::path& run_dir) {
    return load(checkpoint_path(run_dir));
}

std::optional<std::string> finished_run(const fs::path& run_dir) {
    std::error_code ec;
    if (!fs::exists(verified_path(run_dir), ec)) return std::nullopt;
    const auto c = load(verified_path(run_dir));
    if (!c) return std::nullopt;
    return run_dir.string() + " holds a verified run of " + grouped(c.value().files_before) + " files";
}

Expected<void> same_run(const Checkpoint& c, const Checkpoint& now) {
    if (c.strategy != now.strategy) return "the checkpoint is " + c.strategy + "'s, not " + now.strategy + "'s";
    if (c.server != now.server) return "the checkpoint is for " + c.server + ", not " + now.server;
    // An older checkpoint recorded neither the list nor the sink: nothing to compare.
    if (!c.urls.empty() && c.urls != now.urls)
        return now.urls.empty() ? "the checkpoint is for a --urls list: resume with --urls and that list"
                                : "the --urls list changed since the checkpoint was written (its bytes differ): "
                                  "resume with the list it was made with, or start over in another --out";
    if (!c.sink.empty() && c.sink != now.sink)
        return "the checkpoint is for --sink " + c.sink + ", not --sink " + now.sink + ": resume with --sink " +
               c.sink;
    return outcome::success();
}

CheckpointKeeper::CheckpointKeeper(Checkpoint start, fs::path run_dir, const client::Endpoint& server,
                                   const client::ClientConfig& options, client::SinkConfig sink,
                                   std::chrono::milliseconds interval)
    : c_(std::move(start)), started_after_(c_.files_before), run_dir_(std::move(run_dir)), sink_(std::move(sink)) {
    if (auto ok = save_checkpoint(run_dir_, c_); !ok) first_error_ = ok.error();
    written_ = c_;
    client::ClientConfig own = options;
    own.max_attempts = 2;  // a page it cannot list now is tried again at the next tick
    own.stop = nullptr;    // it walks on after a stop request: the final checkpoint needs it
    api_ = std::make_unique<client::ApiClient>(server, own, scratch_);
    walk_.start_at(c_.token);
    thread_ = std::thread([this, interval] {
        std::unique_lock lock(mutex_);
        auto wait = interval;
        while (!cv_.wait_for(lock, wait, [this] { return done_; })) {
            lock.unlock();
            const auto t0 = std::chrono::steady_clock::now();
            advance(false, t0 + kTickSlice);
            // Busy at most kDuty of the time: a tick that took w waits w x (1 / kDuty - 1) after.
            // It may fall behind the run: a checkpoint that lags is still true (every file
            // before it is on disk), and a resume skips the files after it already stored.
            const auto took =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
            wait = std::max(interval, took * (kBusyOutOf - 1));
            busy_s_ += std::chrono::duration<double>(took).count();
            lock.lock();
        }
    });
}

CheckpointKeeper::~CheckpointKeeper() {
    stop();
}

void CheckpointKeeper::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

bool CheckpointKeeper::advance(bool until_blocked, Until until) {
    bool moved = false;
    const bool complete = walk_on(until_blocked, until, moved);
    // Written once a tick, not once a page (a file, an fsync and a rename each time).
    if (moved) write();
    connections_ = scratch_.connections;
    return complete;
}

bool CheckpointKeeper::walk_on(bool until_blocked, Until until, bool& moved) {
    // Opened once a tick, not once a page: it sees the databases the run's writers created.
    client::StoredIndex stored(sink_);
    for (;;) {
        if (!until_blocked) {
            std::lock_guard lock(mutex_);
            if (done_) return false;  // the run ended: finish() takes over
        }
        if (!page_) {
            const auto token = walk_.pending();
            if (!token) return true;
            page_ = api_->next_page(walk_);
            checked_ = 0;
            if (!page_) {  // cannot tell: stay at this page, try again later
                walk_.start_at(*token);
                return false;
            }
        }
        while (checked_ < page_->names.size() && stored.has(page_->names[checked_]))
            ++checked_;
        if (checked_ < page_->names.size()) return false;  // a file missing: the checkpoint stays here
        c_.files_before += page_->names.size();
        page_.reset();
        const auto next = walk_.pending();
        if (!next) return true;
        c_.token = *next;
        moved = true;
        if (until && std::chrono::steady_clock::now() >= *until) return false;  // the tick's slice is spent
    }
}

std::optional<Checkpoint> CheckpointKeeper::finish() {
    stop();
    bool complete = advance(true);
    connections_ = scratch_.connections;
    if (complete) {
        std::error_code ec;
        fs::remove(checkpoint_path(run_dir_), ec);
        return std::nullopt;
    }
    write();
    return written_;
}

void CheckpointKeeper::finish_whole(std::uint64_t listed) {
    stop();
    c_.token.clear();
    c_.files_before = started_after_ + listed;
    if (auto ok = save(verified_path(run_dir_), c_); !ok) return;
    std::error_code ec;
    fs::remove(checkpoint_path(run_dir_), ec);
}

void CheckpointKeeper::write() {
    if (auto ok = save_checkpoint(run_dir_, c_); !ok) {
        write_error_ = ok.error();
        return;
    }
    written_ = c_;
    write_error_.clear();
}

}  // namespace billion::harness
