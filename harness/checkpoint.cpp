// Checkpoints of files-sink runs (see checkpoint.hpp).
#include "harness/checkpoint.hpp"

#include <algorithm>

#include <fstream>
#include <nlohmann/json.hpp>

#include "client/http/api.hpp"
#include "client/sinks/stored.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

fs::path checkpoint_path(const fs::path& run_dir) {
    return run_dir.parent_path() / (run_dir.filename().string() + ".checkpoint.json");
}

bool save_checkpoint(const fs::path& run_dir, const Checkpoint& c) {
    nlohmann::json j = {{"strategy", c.strategy},
                        {"server", c.server},
                        {"token", c.token},
                        {"files_before", c.files_before},
                        {"shard_width", c.shard_width}};
    fs::path path = checkpoint_path(run_dir), tmp = path.string() + ".tmp";
    {
        std::ofstream f(tmp);
        f << j.dump(2) << "\n";
        if (!f) return false;
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    return !ec;
}

Expected<Checkpoint> load_checkpoint(const fs::path& run_dir) {
    fs::path path = checkpoint_path(run_dir);
    std::ifstream f(path);
    if (!f) return "no checkpoint " + path.string() + " to resume from";
    auto j = nlohmann::json::parse(f, nullptr, false);
    try {
        return Checkpoint{j.at("strategy").get<std::string>(), j.at("server").get<std::string>(),
                          j.at("token").get<std::string>(), j.at("files_before").get<std::uint64_t>(),
                          j.value("shard_width", 0u)};
    } catch (const nlohmann::json::exception&) {
        return "checkpoint " + path.string() + " is damaged; remove it to start over";
    }
}

CheckpointKeeper::CheckpointKeeper(Checkpoint start, fs::path run_dir, const client::Endpoint& server,
                                   const client::ClientConfig& options, client::SinkConfig sink,
                                   std::chrono::milliseconds interval)
    : c_(std::move(start)), run_dir_(std::move(run_dir)), sink_(std::move(sink)) {
    saved_ = save_checkpoint(run_dir_, c_);
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
    // Written once a tick, not once a page (a file and a rename each time).
    if (moved) saved_ = save_checkpoint(run_dir_, c_) && saved_;
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
    saved_ = save_checkpoint(run_dir_, c_);
    return c_;
}

}  // namespace billion::harness
