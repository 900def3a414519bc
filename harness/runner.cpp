// One measured, verified run of a strategy (see runner.hpp), with a progress line on a
// terminal.
#include "harness/runner.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "harness/checkpoint.hpp"
#include "client/ipc.hpp"
#include "harness/server_stats.hpp"
#include "harness/signals.hpp"
#include "harness/units.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

std::unique_ptr<Target> Target::embedded(const mock::Options& o) {
    auto t = std::make_unique<Target>();
    t->options_ = o;
    t->server_ = std::make_unique<EmbeddedServer>(o);
    t->endpoint_ = t->server_->endpoint();
    std::cerr << "embedded server (pid " << t->server_->pid() << ") on " << t->endpoint_.url() << ": "
              << o.catalog.files << " files of " << o.catalog.file_size << " bytes";
    if (o.latency.count()) std::cerr << ", latency " << format_duration(static_cast<double>(o.latency.count()) / 1e6);
    std::cerr << "\n";
    return t;
}

std::unique_ptr<Target> Target::remote(const client::Endpoint& e) {
    auto t = std::make_unique<Target>();
    t->endpoint_ = e;
    return t;
}

Output::Output(client::SinkConfig::Kind kind, const std::string& dir, bool keep) : kind_(kind) {
    if (kind == client::SinkConfig::Kind::null) return;
    if (!dir.empty()) {
        base_ = dir;
        return;
    }
    // tmpfs when there is one: on the VMs' ext4 the speed of file creation depends on what was
    // deleted just before (shared/MACHINE-FACTS.md); --out measures a disk.
    std::error_code ec;
    fs::path parent = fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm")
                                                                                          : fs::temp_directory_path();
    std::string tmpl = (parent / "billion-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory in " + parent.string());
    base_ = tmpl;
    temporary_ = !keep;
}

Output::~Output() {
    std::error_code ec;
    if (temporary_) fs::remove_all(base_, ec);
}

client::SinkConfig Output::sink_for(const std::string& run_name, bool resume) {
    if (kind_ == client::SinkConfig::Kind::null) return {};
    fs::path dir = base_ / run_name;
    std::error_code ec;
    if (!resume && fs::exists(checkpoint_path(dir), ec))
        throw std::runtime_error("output directory " + dir.string() +
                                 " holds an interrupted run: add --resume to continue it, or choose another --out");
    if (!resume && fs::exists(dir, ec) && !fs::is_empty(dir, ec))
        throw std::runtime_error("output directory " + dir.string() + " is not empty; choose another --out");
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
    return {kind_, dir};
}

void Output::done_with(const client::SinkConfig& sink) {
    std::error_code ec;
    if (temporary_ && !sink.dir.empty()) fs::remove_all(sink.dir, ec);
}

std::string Output::describe() const {
    if (base_.empty()) return "";
    return base_.string() + (temporary_ ? " (temporary)" : "");
}

namespace {

double cpu_seconds() {
    auto sum = [](int who) {
        rusage u{};
        ::getrusage(who, &u);
        return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    return sum(RUSAGE_SELF) + sum(RUSAGE_CHILDREN);
}

// A progress line on a terminal, from the server's own counters (nothing is added to the
// client's hot path); silent when stderr is not a terminal.
class Progress {
public:
    Progress(const std::string& name, const client::Endpoint& server, std::uint64_t expected,
             std::optional<ServerCounts> start)
        : enabled_(::isatty(STDERR_FILENO) && start.has_value()) {
        if (!enabled_) return;
        thread_ = std::thread([=, this] {
            auto t0 = std::chrono::steady_clock::now();
            std::unique_lock lock(mutex_);
            while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return done_; })) {
                auto now = fetch_server_counts(server);
                ++polls_;
                if (!now) continue;
                double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                auto files = now->get_ok - start->get_ok;
                double rate = elapsed > 0 ? static_cast<double>(files) / elapsed : 0;
                std::fprintf(stderr, "\r  %s: %llu files, %.0f files/s", name.c_str(),
                             static_cast<unsigned long long>(files), rate);
                if (expected && rate > 0 && files <= expected)
                    std::fprintf(stderr, ", ETA %s   ", format_duration(static_cast<double>(expected - files) / rate).c_str());
                std::fflush(stderr);
                shown_ = true;
            }
        });
    }
    // Stops; returns how many /stats connections it opened (not the strategy's).
    std::uint64_t stop() {
        if (!enabled_) return 0;
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_one();
        thread_.join();
        if (shown_) std::fprintf(stderr, "\r\033[K");
        return polls_;
    }

private:
    bool enabled_;
    bool done_ = false, shown_ = false;
    std::uint64_t polls_ = 0;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::thread thread_;
};

// What a checkpoint's files came from, so a resume cannot mix two catalogs.
std::string identity(const Target& t) {
    if (const auto* o = t.options())
        return "embedded:files=" + std::to_string(o->catalog.files) + ",page_size=" + std::to_string(o->catalog.page_size) +
               ",file_size=" + std::to_string(o->catalog.file_size) + ",seed=" + std::to_string(o->catalog.seed);
    return t.endpoint().url();
}

}  // namespace

bool prepare(const std::optional<std::string>& url, client::SinkConfig::Kind sink, const std::string& out, bool keep,
             std::optional<client::Endpoint>& remote, std::unique_ptr<Output>& output) {
    if (url) {
        remote = client::parse_url(*url);
        if (!remote) {
            std::cerr << "billion: --url must look like http://127.0.0.1:8080, not '" << *url << "'\n";
            return false;
        }
    }
    try {
        output = std::make_unique<Output>(sink, out, keep);
    } catch (const std::exception& e) {
        std::cerr << "billion: " << e.what() << "\n";
        return false;
    }
    return true;
}

std::unique_ptr<Target> open_target(const std::optional<client::Endpoint>& remote, const mock::Options& o) {
    try {
        return remote ? Target::remote(*remote) : Target::embedded(o);
    } catch (const std::exception& e) {
        std::cerr << "billion: " << e.what() << "\n";
        return nullptr;
    }
}

int exit_status(const std::vector<RunRecord>& runs, std::size_t planned) {
    // Interrupted: a run was cut short, or a stop came before every planned run started. A
    // stop request after the last run ended changes nothing that was measured.
    bool interrupted = runs.size() < planned;
    for (const auto& r : runs) interrupted = interrupted || r.result.interrupted;
    if (interrupted) return kExitInterrupted;
    for (const auto& r : runs)
        if (!r.verification.ok) return kExitUnverified;
    return runs.empty() ? kExitUnverified : kExitOk;
}

RunRecord run_once(const RunSpec& spec, Target& target, Output& out) {
    const auto& st = *spec.strategy;
    RunRecord r;
    r.strategy = st.name;
    r.model = st.model;
    r.label = spec.label;
    r.warmup = spec.warmup;
    r.repeat = spec.repeat;
    if (auto* o = target.options()) r.catalog_files = o->catalog.files, r.latency_us = o->latency.count();
    r.options = spec.options;
    r.options.server = target.endpoint();
    r.options.client.stop = &stop_flag();
    r.options.sink = out.sink_for(spec.dir_name.empty() ? st.name : spec.dir_name, spec.resume);
    Checkpoint start{st.name, identity(target), "", 0};
    if (spec.resume) {
        std::string error;
        auto cp = load_checkpoint(r.options.sink.dir, error);
        if (!cp) throw std::runtime_error(error);
        if (cp->server != identity(target))
            throw std::runtime_error("the checkpoint is for " + cp->server + ", not " + identity(target));
        r.options.resume_from = cp->token;
        start = *cp;
        std::cerr << st.name << ": resuming at page '" << cp->token << "' (the " << cp->files_before
                  << " files before it are on disk)\n";
    }
    // A kept files-sink run is resumable from before its first file lands, whatever stops it.
    std::optional<CheckpointKeeper> keeper;
    if (r.options.sink.kind == client::SinkConfig::Kind::files && out.kept()) {
        keeper.emplace(start, r.options.sink.dir, target.endpoint(), r.options.client, r.options.sink);
        if (!keeper->saved())
            throw std::runtime_error("cannot write the checkpoint " + checkpoint_path(r.options.sink.dir).string());
    }

    std::string what = st.name + (spec.label.empty() ? "" : " " + spec.label) + (spec.warmup ? " (warm-up)" : "");
    std::cerr << what << ": running (" << st.model << ")\n";
    auto before = fetch_server_counts(target.endpoint());
    Progress progress(what, target.endpoint(), target.catalog() ? target.catalog()->files : 0, before);
    double server_cpu0 = target.server() ? target.server()->cpu_seconds() : 0;
    double cpu0 = cpu_seconds();
    client::reset_own_peak_rss();
    auto t0 = std::chrono::steady_clock::now();
    try {
        r.result = st.run(r.options);
    } catch (const std::exception& e) {
        r.result.stats.fail(client::Stage::connect, e.what(), true);
    }
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.client_cpu_s = cpu_seconds() - cpu0;
    std::uint64_t polls = progress.stop();
    if (keeper) {
        keeper->stop();
        polls += keeper->connections();  // not the strategy's either
    }
    // Worker processes: every process at its peak, added up (they run side by side).
    const auto own_peak = client::own_peak_rss_kb();
    r.peak_rss_kb = own_peak + r.result.stats.peak_rss_sum_kb;
    r.peak_rss_largest_kb = std::max(own_peak, r.result.stats.peak_rss_kb);
    if (target.server()) r.server_cpu_s = target.server()->cpu_seconds() - server_cpu0;
    auto after = fetch_server_counts(target.endpoint());
    if (before && after) {
        r.server = *after - *before;
        r.server->connections -= std::min(r.server->connections, polls);
    }

    VerifyInput in;
    in.stats = &r.result.stats;
    in.interrupted = r.result.interrupted;
    in.catalog = target.catalog();
    in.sink = r.options.sink;
    in.server = r.server;
    in.resumed = r.options.resume_from.has_value();
    r.verification = verify(in);
    if (!r.result.children_ok) r.verification.add("worker processes exited cleanly", false, "a worker failed");
    if (keeper) {
        // Verified: nothing to resume. Otherwise the first page with a file missing.
        auto last = r.verification.ok ? std::nullopt : keeper->finish();
        std::error_code ec;
        if (r.verification.ok) fs::remove(checkpoint_path(r.options.sink.dir), ec);
        if (last && keeper->saved())
            std::cerr << st.name << ": checkpoint " << checkpoint_path(r.options.sink.dir).string()
                      << " written; the same command with --resume continues\n";
        else if (last)
            std::cerr << st.name << ": cannot write the checkpoint " << checkpoint_path(r.options.sink.dir).string() << "\n";
    }
    out.done_with(r.options.sink);
    std::cerr << what << ": " << r.result.stats.files << " files in " << format_duration(r.wall_s) << ", "
              << (r.verification.ok ? "verified" : "NOT verified: " + r.verification.first_problem()) << "\n";
    return r;
}

}  // namespace billion::harness
