// One measured, verified run (see one_run.hpp).
#include "harness/run/one_run.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "client/errors.hpp"
#include "client/processes/ipc.hpp"
#include "client/teaching/interpreter.hpp"
#include "client/tmpfs.hpp"
#include "harness/common/exit_codes.hpp"
#include "harness/common/format.hpp"
#include "harness/host/storage.hpp"
#include "harness/run/metrics.hpp"
#include "harness/run/sampler.hpp"
#include "harness/run/server_stats.hpp"
#include "harness/run/stop.hpp"
#include "harness/run/checkpoint.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

namespace {

// The record's identity and the job as the strategy will get it.
RunRecord record_for(const RunSpec& spec, Server& server) {
    RunRecord r;
    r.strategy = spec.strategy->name;
    r.model = spec.strategy->model;
    r.label = spec.label;
    r.warmup = spec.warmup;
    r.repeat = spec.repeat;
    if (const auto* c = server.config()) {
        r.catalog_files = c->catalog.files;
        r.latency_us = c->latency.count();
    }
    r.job = spec.job;
    r.job.server = server.endpoint();
    r.job.client.stop = &stop_flag();
    return r;
}

// prepare: the run's sink and, for a kept one, its checkpoint (read back when resuming).
ExpectedOr<std::unique_ptr<CheckpointKeeper>> prepare(const RunSpec& spec, Server& server, Downloads& out, RunRecord& r) {
    const auto& st = *spec.strategy;
    const std::string name = spec.dir_name.empty() ? st.name : spec.dir_name;
    // Read before the run's directory is made: a refused resume leaves nothing behind.
    std::optional<Checkpoint> resumed;
    if (spec.resume) {
        auto cp = load_checkpoint(out.base() / name);
        if (!cp) return Failure{cp.error(), kExitUsage};
        resumed = cp.value();
    }
    auto sink = out.sink_for(name, spec.resume);
    if (!sink) return Failure{sink.error(), kExitUsage};
    r.job.sink = sink.value();
    r.job.sink.file_size = r.job.client.file_size;
    r.job.sink.names = r.job.client.names;
    if (r.job.sink.kind == client::SinkConfig::Kind::files)
        r.storage_1e9 = billion_files_on(r.job.sink.dir, r.job.client.file_size ? r.job.client.file_size : 100);
    r.job.sink.repair_partial = spec.resume;
    // Shard directories sized for the files expected: the catalog's, or --expect-files (--url).
    r.job.sink.shard_width = client::shard_width_for(server.catalog() ? server.catalog()->files : spec.expect_files);
    // A bucket's tokens are its own: the checkpoint names the bucket and prefix beside the server.
    std::string identity = server.identity();
    if (const auto& b = r.job.client.s3) identity.append(" bucket ").append(b->bucket).append("/").append(b->prefix);
    Checkpoint start{st.name,          identity, "", 0, r.job.sink.shard_width,
                     to_string(r.job.sink.kind), spec.urls_digest};
    if (resumed) {
        if (auto same = same_run(*resumed, start); !same) return Failure{same.error(), kExitUsage};
        start = *resumed;
        start.sink = to_string(r.job.sink.kind);
        r.job.resume_from = start.token;
        if (start.shard_width) r.job.sink.shard_width = start.shard_width;  // the layout already on disk
        start.shard_width = r.job.sink.shard_width;
        std::cerr << st.name << ": resuming at page '" << start.token << "' (the " << start.files_before
                  << " files before it are on disk)\n";
    }
    // A kept files or sqlite run is resumable from before its first file lands, whatever stops it.
    std::unique_ptr<CheckpointKeeper> keeper;
    if (r.job.sink.kind != client::SinkConfig::Kind::null && out.kept() && spec.checkpoint) {
        keeper = std::make_unique<CheckpointKeeper>(start, r.job.sink.dir, server.endpoint(), r.job.client, r.job.sink);
        if (!keeper->first_error().empty()) return Failure{keeper->first_error(), kExitUnverified};
    }
    // Another's server: the names received are recorded for the exactly-once check (ledger.hpp).
    // Made last, so a failure above leaves no directory behind.
    if (!server.catalog()) {
        const auto made = client::new_short_lived_dir("billion-names");
        if (!made)
            return Failure{"cannot create a directory in " + client::tmpfs_or_temp_dir().string(), kExitUnverified};
        r.job.sink.ledger = *made;
    }
    return keeper;
}

// measure: runs the strategy with its wall and CPU time, memory and the server's counters.
void measure(const RunSpec& spec, Server& server, const std::string& what, std::unique_ptr<CheckpointKeeper>& keeper,
             RunRecord& r) {
    const auto& st = *spec.strategy;
    std::cerr << what << ": running (" << st.model << ")\n";
    // The /stats reads are inside the wall: a server slow to answer them cannot hide the time.
    const auto stats_t0 = std::chrono::steady_clock::now();
    auto before = fetch_server_counts(server.endpoint(), r.job.client);
    const double stats_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - stats_t0).count();
    Sampler sampler(what, server.endpoint(), r.job.client, server.catalog() ? server.catalog()->files : 0, before);
    double server_cpu0 = server.embedded_server() ? server.embedded_server()->cpu_seconds() : 0;
    double cpu0 = cpu_seconds();
    client::reset_own_peak_rss();
    auto t0 = std::chrono::steady_clock::now();
    if (spec.max_time.count() > 0) r.job.list_until = t0 + spec.max_time;
    // --client-cpu: the teaching model's per-request work (the threads strategy adds its GIL).
    const client::Interpreter interpreter(r.job.client.cpu_per_request, nullptr);
    if (r.job.client.cpu_per_request.count() > 0) r.job.client.hook = &interpreter;
    try {
        r.result = st.run(r.job);
    } catch (...) {
        // A worker could not be set up (client/errors.hpp): counted at its stage, the run ends.
        client::count_exception(r.result.stats, std::current_exception(), client::Stage::setup, true);
    }
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() - r.result.untimed.seconds;
    r.job.client.hook = nullptr;  // the interpreter ends here
    r.client_cpu_s = cpu_seconds() - cpu0;
    const auto samples = sampler.stop();
    std::uint64_t polls = sampler.connections();
    if (keeper) {
        keeper->stop();
        polls += keeper->connections();  // not the strategy's either
    }
    // Worker processes: every process at its peak, added up (they run side by side).
    const auto own_peak = client::own_peak_rss_kb();
    r.peak_rss_kb = own_peak + r.result.stats.peak_rss_sum_kb;
    r.peak_rss_largest_kb = std::max(own_peak, r.result.stats.peak_rss_kb);
    if (server.embedded_server()) r.server_cpu_s = server.embedded_server()->cpu_seconds() - server_cpu0;
    // Asked again only of a server that answered: one without a usable /stats costs one read.
    const auto after_t0 = std::chrono::steady_clock::now();
    auto after = before ? fetch_server_counts(server.endpoint(), r.job.client) : std::nullopt;
    r.wall_s += stats_s + std::chrono::duration<double>(std::chrono::steady_clock::now() - after_t0).count();
    // start-up: the rest of the wall
    if (auto steady = fit_steady(samples, r.result.stats.files, r.wall_s))
        r.steady = steady.value();
    else
        r.unsteady_why = steady.error();
    if (before && after) {
        r.server = *after - *before;
        r.server->connections -= std::min(r.server->connections, polls + r.result.untimed.connections);
        // A peer's connections and requests are the tool's: only the server saw them.
        if (r.result.stats.connections == 0) {
            r.result.stats.connections = r.server->connections;
            const auto asked = r.server->list_requests + r.server->get_requests;
            r.result.stats.requests = asked - std::min(asked, r.result.untimed.requests);
        }
    }
}

// verify: every check of verify.hpp, timed.
void check(Server& server, RunRecord& r) {
    VerifyInput in;
    in.stats = &r.result.stats;
    in.interrupted = r.result.interrupted;
    in.catalog = server.catalog();
    in.digests = server.digests();
    in.sink = r.job.sink;
    in.server = r.server;
    in.resumed = r.job.resume_from.has_value();
    const auto v0 = std::chrono::steady_clock::now();
    r.verification = verify(in);
    r.verify_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
    if (!r.result.children_ok) r.verification.add("worker processes exited cleanly", false, "a worker failed");
}

// finish: the checkpoint kept or removed, a temporary directory removed, the end lines.
void finish(const std::string& what, std::unique_ptr<CheckpointKeeper>& keeper, Downloads& out, const RunRecord& r) {
    const bool capped = r.result.stats.capped;
    if (keeper && r.wall_s > 0)  // measured, beside what it is capped at (checkpoint.hpp: 5 %)
        std::fprintf(stderr, "%s: checkpoint keeper busy %.3f s, %.1f %% of the run\n", what.c_str(), keeper->busy_s(),
                     100 * keeper->busy_s() / r.wall_s);
    if (keeper) {
        // Verified and whole: nothing to resume. Otherwise (or capped) the first page with a file missing.
        const bool whole = r.verification.ok && !capped;
        auto last = whole ? std::nullopt : keeper->finish();
        if (whole) keeper->finish_whole(r.result.stats.listed.count);
        // "written" only when it was: after a failed write the one on disk is older, and still true.
        if (last && keeper->write_error().empty())
            std::cerr << r.strategy << ": checkpoint " << checkpoint_path(r.job.sink.dir).string()
                      << " written; the same command with --resume continues\n";
        else if (last)
            std::cerr << r.strategy << ": " << keeper->write_error() << "; the one kept (page '" << last->token
                      << "', " << last->files_before
                      << " files before it) is still true: once there is room, the same command with --resume "
                         "continues from it\n";
    }
    out.done_with(r.job.sink);
    std::error_code ec;
    if (!r.job.sink.ledger.empty()) fs::remove_all(r.job.sink.ledger, ec);
    std::cerr << what << ": " << r.result.stats.files << " files in " << format_duration(r.wall_s) << ", "
              << (r.verification.ok ? "verified" : "NOT verified: " + r.verification.first_problem())
              << (capped ? " (capped by --max-time)" : "") << " (checked in " << format_duration(r.verify_s) << ")\n";
    if (const auto chain = r.token_chain()) {
        std::cerr << what << ": token chain: a step (hand-off, listing, answer) every " << format_duration(chain->step_s)
                  << ", busy " << std::lround(chain->busy * 100) << " % of the run; one page of "
                  << grouped(static_cast<std::uint64_t>(chain->files_per_page)) << " files a step: at most "
                  << grouped(static_cast<std::uint64_t>(chain->ceiling_files_per_s)) << " files/s, whatever the workers\n";
    }
}

}  // namespace

// A run too small for its strategy's model to show: fewer pages than the workers that take
// whole pages, or fewer files than requests it could keep in flight. Nothing when it was not.
std::optional<std::string> too_small(const RunRecord& r) {
    const auto& st = r.result.stats;
    const auto& job = r.job;
    auto pages_for = [&](unsigned workers, const char* who) -> std::optional<std::string> {
        if (st.pages >= 2ULL * workers || r.result.interrupted) return std::nullopt;
        return std::to_string(workers) + " " + who + " shared " + std::to_string(st.pages) +
               " page(s): some had little or nothing to do; use more files or a smaller --page-size (e.g. "
               "--page-size 100)";
    };
    if (r.strategy == "combo") return pages_for(job.process_count(), "processes");
    if (r.strategy == "cluster") return pages_for(job.rank_count(), "ranks");
    if (r.strategy == "async" && st.files < job.knobs.concurrency)
        return std::to_string(st.files) + " files cannot keep " + std::to_string(job.knobs.concurrency) +
               " requests in flight; use more files";
    return std::nullopt;
}

ExpectedOr<RunRecord> run_once(const RunSpec& spec, Server& server, Downloads& out) {
    RunRecord r = record_for(spec, server);
    auto keeper = prepare(spec, server, out, r);
    if (!keeper) return keeper.error();
    const std::string what =
        spec.strategy->name + (spec.label.empty() ? "" : " " + spec.label) + (spec.warmup ? " (warm-up)" : "");
    measure(spec, server, what, keeper.value(), r);
    check(server, r);
    finish(what, keeper.value(), out, r);
    return r;
}

}  // namespace billion::harness
