// The one loop over cells (see session.hpp).
#include "harness/run/session.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "harness/common/exit_codes.hpp"
#include "harness/common/format.hpp"
#include "harness/host/downloads.hpp"
#include "harness/host/limits.hpp"
#include "harness/host/pm_qos.hpp"
#include "harness/host/storage.hpp"
#include "harness/host/storage_probe.hpp"
#include "harness/report/provenance.hpp"
#include "harness/report/results_json.hpp"
#include "harness/report/statistics.hpp"
#include "harness/report/table.hpp"
#include "harness/run/embedded_server.hpp"
#include "harness/run/one_run.hpp"
#include "harness/run/peers.hpp"
#include "harness/run/server.hpp"
#include "harness/run/stop.hpp"
#include "harness/run/checkpoint.hpp"

namespace billion::harness {

Expected<std::vector<const strategies::Strategy*>> find_strategies(const std::vector<std::string>& names,
                                                                   bool peers_too) {
    std::vector<const strategies::Strategy*> chosen;
    std::vector<std::string> expanded;  // "all": the talk's five ways
    for (const auto& name : names)
        if (name == "all")
            for (const auto& n : strategies::all_names())
                expanded.push_back(n);
        else
            expanded.push_back(name);
    for (const auto& name : expanded) {
        const auto* st = strategies::find(name);
        if (!st && peers_too) st = find_peer(name);
        if (!st) {
            std::string known;
            for (const auto& k : strategies::all())
                known += (known.empty() ? "" : ", ") + k.name;
            return "unknown strategy '" + name + "' (known: " + known + ", all)";
        }
        chosen.push_back(st);
    }
    return chosen;
}

int exit_status(const std::vector<RunRecord>& runs, std::size_t planned) {
    // Interrupted: a run was cut short, or a stop came before every planned run started. A
    // stop request after the last run ended changes nothing that was measured.
    bool interrupted = runs.size() < planned;
    for (const auto& r : runs)
        interrupted = interrupted || r.result.interrupted;
    if (interrupted) return kExitInterrupted;
    for (const auto& r : runs)
        if (!r.verification.ok) return kExitUnverified;
    return runs.empty() ? kExitUnverified : kExitOk;
}

int usage(const std::string& message) {
    std::cerr << "billion: " << message << "\n";
    return kExitUsage;
}

std::vector<std::string> names_of(const std::vector<const strategies::Strategy*>& strategies) {
    std::vector<std::string> names;
    for (const auto* st : strategies)
        names.push_back(st->name);
    return names;
}

namespace {

// The session's repeat rule; one run a cell where repeating is not billion's to decide: a
// download kept under --out or resumed, another's server (--url), a capped run (--max-time).
RepeatRule repeats_of(const Session& s) {
    RepeatRule rule = s.run.repeats;
    if (rule.repeat == 0 && rule.spread.count() > 0) rule.repeat = kSpreadRuns;
    if (rule.repeat == 0 && (s.url || !s.run.out.empty() || s.resume || s.run.max_time.count() > 0)) rule.repeat = 1;
    return rule;
}

strategies::Job job_of(const Session& s, const Cell& c) {
    strategies::Job job;
    job.client = s.client;
    job.knobs = c.knobs;
    if (c.client_cpu) job.client.cpu_per_request = *c.client_cpu;
    return job;
}

}  // namespace

namespace {

// What the host gives a session's runs, settled before any of them starts: where they
// write, what storing there costs, idle cores kept awake.
struct Prepared {
    std::optional<client::Endpoint> remote;  // --url's server; none: the embedded one
    std::unique_ptr<Downloads> out;
    std::unique_ptr<Downloads> peer_out;     // peers write files whatever the sink
    std::vector<std::string> storage_notes;  // files sink: printed after the tables
    std::unique_ptr<PmQos> qos;              // held while the runs run
};

// The files sink: room for what the runs will keep at once (every run with --out; one at a
// time in a temporary directory), when the embedded catalog says how much that is. A resumed
// run needs room only for the files not on disk yet.
Expected<void> check_room(const Session& s, const Downloads& out) {
    std::uint64_t needed = 0;
    const RepeatRule rule = repeats_of(s);
    const std::uint64_t runs_each = static_cast<std::uint64_t>(rule.repeat) + (first_is_warmup(rule, 0) ? 1 : 0);
    for (const auto& c : s.cells) {
        std::uint64_t files = c.server.catalog.files;
        if (s.resume) files -= std::min(files, files_stored_in(out.base() / c.dir_name));
        needed = out.kept() ? needed + runs_each * files : std::max<std::uint64_t>(needed, files);
    }
    const std::uint64_t file_size = s.cells.empty() ? 100 : s.cells.front().server.catalog.file_size;
    return check_files_room(out.base(), needed, file_size);
}

// The files sink: what a file costs to store where the runs write, against a sqlite row; a line
// to print after the table when sqlite is several times faster there (storage_probe.hpp).
std::string storage_advice(const Session& s, const Downloads& out) {
    if (s.run.sink != client::SinkConfig::Kind::files || out.base().empty()) return "";
    auto probe = probe_storage(out.base());
    if (!probe) {
        std::cerr << "storage probe of " << out.base().string() << " failed (" << probe.error() << ")\n";
        return "";
    }
    return sqlite_advice(probe.value());
}

// Checks everything the user gave before starting anything, and opens the outputs.
Expected<Prepared> prepare(const Session& s) {
    Prepared o;
    if (s.run.repeats.spread.count() > 0 && repeats_of(s).repeat < 2)
        return "--spread spreads a row's counted runs over time: give --repeat 2 or more, or leave it auto (" +
               std::to_string(kSpreadRuns) + " runs)";
    if (s.url) {
        auto e = parse_server_url(*s.url);
        if (!e) return "--url: " + e.error();
        o.remote = e.value();
    }
    if (!s.run.out.empty())
        if (auto ok = check_out_dir(s.run.out, s.resume); !ok) return ok.error();
    if (!s.run.json_path.empty())
        if (auto ok = check_json_path(s.run.json_path); !ok) return ok.error();
    std::vector<std::pair<const strategies::Strategy*, strategies::Job>> planned_jobs;
    bool any_peer = false;
    for (const auto& c : s.cells) {
        planned_jobs.emplace_back(c.strategy, job_of(s, c));
        any_peer = any_peer || find_peer(c.strategy->name) != nullptr;
    }
    // The peers' URL lists and output names are written for the API's names only.
    if (any_peer && s.client.names == client::NameRule::any)
        return "--peers take the API's names only: drop --names any";
    if (auto ok = ensure_open_files(planned_jobs); !ok) return ok.error();
    auto out = Downloads::open(s.run.sink, s.run.out, s.run.keep);
    if (!out) return out.error();
    o.out = std::move(out.value());
    if (s.run.sink == client::SinkConfig::Kind::files && !o.remote)
        if (auto ok = check_room(s, *o.out); !ok) return ok.error();
    if (any_peer && s.run.sink == client::SinkConfig::Kind::null) {
        auto p = Downloads::open(client::SinkConfig::Kind::files, "", false);
        if (!p) return p.error();
        o.peer_out = std::move(p.value());
    }
    if (s.run.sink == client::SinkConfig::Kind::files) {
        const std::uint32_t file_size = s.cells.empty() ? 100 : s.cells.front().server.catalog.file_size;
        o.storage_notes.push_back(billion_files_need(o.out->base(), file_size));
        if (auto advice = storage_advice(s, *o.out); !advice.empty()) o.storage_notes.push_back(advice);
    }
    o.qos = std::make_unique<PmQos>(s.run.pm_qos);
    return o;
}

// --spread: idle until counted run k's start (repeats.hpp), said once a cell. False when a
// stop came first.
bool wait_for_slot(const RepeatRule& rule, const std::string& name, std::chrono::steady_clock::time_point first,
                   int k) {
    if (rule.spread.count() <= 0) return true;
    if (k == 1)
        std::cerr << name << ": " << rule.repeat << " runs spread over " << compact_duration(rule.spread.count())
                  << ", one every " << compact_duration(spread_offset(rule, 1).count()) << " (--spread)\n";
    const auto until = first + spread_offset(rule, k);
    while (!stop_requested() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            until - std::chrono::steady_clock::now(), client::kStopCheck));
    return !stop_requested();
}

// A cell's runs: its warm-up, then its counted repeats (repeats.hpp), each in a directory of
// its own. kExitInterrupted when a stop cut its runs short.
int run_cell(const Session& s, const Cell& cell, Server& server, Downloads& downloads, std::vector<RunRecord>& runs) {
    const RepeatRule rule = repeats_of(s);
    const bool repeated = rule.repeat != 1;
    const auto start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point first_counted;  // --spread: the counted runs' slots start here
    std::vector<double> per_file;  // the counted runs'
    const std::size_t before = runs.size();
    bool first = true;
    while (wants_another(rule, per_file,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())) {
        if (stop_requested()) return kExitInterrupted;
        // A fixed warm-up is known before it runs; the default one only after (a short first run).
        const bool warmup = first && rule.repeat > 0 && first_is_warmup(rule, 0);
        const int repeat = static_cast<int>(per_file.size());
        if (!warmup && repeat == 0) first_counted = std::chrono::steady_clock::now();
        if (!warmup && !wait_for_slot(rule, cell.strategy->name, first_counted, repeat)) return kExitInterrupted;
        RunSpec spec{.strategy = cell.strategy,
                     .job = job_of(s, cell),
                     .label = cell.label,
                     .warmup = warmup,
                     .repeat = repeat,
                     .dir_name = cell.dir_name + (warmup     ? "-warmup"
                                                  : repeated ? "-r" + std::to_string(runs.size() - before)
                                                             : ""),
                     .resume = s.resume,
                     .max_time = s.run.max_time,
                     .expect_files = s.run.expect_files,
                     .checkpoint = s.run.checkpoint,
                     .urls_digest = s.run.urls_digest};
        auto r = run_once(spec, server, downloads);
        if (!r) {
            std::cerr << "billion: " << r.error().message << "\n";
            return r.error().exit_code;
        }
        RunRecord& run = r.value();
        // A run cut short or unverified says what it says: more runs would not change it.
        const bool last = run.result.interrupted || !run.verification.ok;
        if (first && !last && rule.repeat == 0 && first_is_warmup(rule, run.wall_s)) {
            run.warmup = true;
            std::cerr << run.strategy << ": that run was the warm-up (not counted)\n";
        }
        if (!run.warmup) per_file.push_back(run.per_file_s());
        runs.push_back(std::move(run));
        first = false;
        if (last) break;
    }
    if (const auto small = runs.size() > before ? too_small(runs.back()) : std::nullopt)
        std::cerr << cell.strategy->name << (cell.label.empty() ? "" : " " + cell.label)
                  << ": too small to show its model: " << *small << "\n";
    return kExitOk;
}

// Every cell in order, one server per run of cells with the same server settings. The exit
// status of what stopped it early (a server that did not start, bad input met on the way).
int run_cells(const Session& s, Prepared& o, std::vector<RunRecord>& runs) {
    std::unique_ptr<Server> server;
    std::vector<std::string> serving;  // the embedded server's settings, as `billion serve` arguments
    std::size_t cells_left = s.cells.size();
    for (const auto& cell : s.cells) {
        if (stop_requested()) break;
        --cells_left;
        // wget -c and aria2c --continue answer a finished download the same way.
        if (const auto done = s.resume ? finished_run(o.out->base() / cell.dir_name) : std::nullopt) {
            std::cerr << cell.strategy->name << ": nothing to resume: " << *done << "\n";
            continue;
        }
        if (!server || (!o.remote && serve_args(cell.server) != serving)) {
            server.reset();  // the previous embedded server stops first
            if (o.remote) {
                server = Server::remote(*o.remote);
            } else {
                auto t = s.start_server ? s.start_server(cell.server) : Server::embedded(cell.server);
                if (!t) {
                    std::cerr << "billion: " << t.error() << "\n";
                    return kExitUnverified;
                }
                server = std::move(t.value());
                serving = serve_args(cell.server);
            }
            std::cerr << server->describe() << "\n";
        }
        Downloads& downloads = find_peer(cell.strategy->name) && o.peer_out ? *o.peer_out : *o.out;
        if (int failed = run_cell(s, cell, *server, downloads, runs); failed != kExitOk) return failed;
    }
    return cells_left ? kExitInterrupted : kExitOk;
}

// What the rows were measured under, above the table, so a pasted table keeps its conditions:
// page size, latency, client CPU, GIL, pipelining, --max-time, sink.
std::string conditions(const Session& s) {
    std::string line = "conditions: ";
    if (s.url && !s.run.urls.empty()) {
        line += "the URLs of " + s.run.urls + ", from " + *s.url;
    } else if (s.url) {
        line += *s.url;
    } else if (!s.cells.empty()) {
        const auto& server = s.cells.front().server;
        std::set<std::int64_t> latencies;
        for (const auto& c : s.cells)
            latencies.insert(c.server.latency.count());
        line += "embedded server, pages of " + grouped(server.catalog.page_size) + ", latency ";
        for (auto it = latencies.begin(); it != latencies.end(); ++it)
            line += (it == latencies.begin() ? "" : ", ") + compact_duration(*it);
    }
    if (const auto& b = s.client.s3) {
        line.append(", as S3 bucket '").append(b->bucket).append("'");
        if (!b->prefix.empty()) line.append(" under '").append(b->prefix).append("'");
        line.append(b->credentials ? " (signed: SigV4)" : " (anonymous)");
    }
    std::set<std::int64_t> cpu;
    bool gil = false;
    for (const auto& c : s.cells) {
        cpu.insert(c.client_cpu.value_or(s.client.cpu_per_request).count());
        gil = gil || (c.knobs.gil && c.strategy->name == "threads");
    }
    if (cpu.size() > 1 || (!cpu.empty() && *cpu.begin() > 0)) {
        line += "; client CPU per request ";
        for (auto it = cpu.begin(); it != cpu.end(); ++it)
            line += (it == cpu.begin() ? "" : " or ") + compact_duration(*it);
    }
    if (gil) line += "; threads under a GIL";
    std::set<unsigned> pipelines;  // of the strategies that pipeline
    for (const auto& c : s.cells)
        if (c.strategy->name == "async" || c.strategy->name == "combo" || c.strategy->name == "cluster")
            pipelines.insert(c.knobs.pipeline);
    if (pipelines.size() > 1) {  // a sweep of --pipeline: each row's setting says which
        line += "; pipelines of ";
        for (auto it = pipelines.begin(); it != pipelines.end(); ++it)
            line += (it == pipelines.begin() ? "" : " or ") + std::to_string(*it);
        line += " (each row's setting)";
    } else if (!pipelines.empty() && *pipelines.begin() > 1) {
        line += "; pipelines of " + std::to_string(*pipelines.begin()) + " (async, combo, cluster)";
    }
    if (s.run.max_time.count() > 0) line += "; --max-time " + compact_duration(s.run.max_time.count());
    if (const RepeatRule rule = repeats_of(s); rule.spread.count() > 0)
        line += "; each row's " + std::to_string(rule.repeat) + " runs spread over " +
                compact_duration(rule.spread.count());
    return line + "; " + client::to_string(s.run.sink) + " sink";
}

// What signing (SigV4) cost each row's client, from its median run: time a signed request.
void print_signing(std::ostream& out, const std::vector<Summary>& rows) {
    bool first = true;
    for (const auto& r : rows) {
        const auto& st = r.median ? r.median->result.stats : client::WorkerStats{};
        if (!r.median || st.signed_requests == 0) continue;
        if (first) out << "\nsigning (SigV4, time spent signing a request, median run):";
        char us[32];
        std::snprintf(us, sizeof us, "%.2f us",
                      static_cast<double>(st.signing_ns) / 1e3 / static_cast<double>(st.signed_requests));
        out << (first ? " " : ", ") << r.strategy << (r.label.empty() ? "" : " ") << r.label << " " << us;
        first = false;
    }
    if (!first) out << "\n";
}

// The tables on stdout and the JSON. False when the JSON cannot be written.
bool report(const Session& s, const Downloads& out, const std::vector<RunRecord>& runs, const nlohmann::json& pm_qos,
            const std::vector<std::string>& storage_notes) {
    std::cout << "\n" << conditions(s) << "\n";
    auto rows = summarize(runs);
    const RepeatRule rule = repeats_of(s);
    print_table(std::cout, rows, s.run.markdown, rule.repeat ? 0 : rule.precision);
    print_resources(std::cout, rows, s.run.markdown);
    if (s.fit_sizes) print_fits(std::cout, harness::fit_sizes(runs), s.run.markdown);
    if (s.epilogue) s.epilogue(std::cout, rows);
    print_signing(std::cout, rows);
    if (!rows.empty() && !storage_notes.empty()) {
        std::cout << "\n";
        for (const auto& note : storage_notes)
            std::cout << note << "\n";
    }
    std::cout << "\n" << provenance_line() << "\n";
    if (s.run.json_path.empty()) return true;
    auto settings = common_settings(s.url, s.cells.empty() ? mock::ServerConfig{} : s.cells.front().server, s.client,
                                    s.run.sink, out.describe());
    settings.update(s.settings);
    if (!s.run.urls.empty()) settings["urls"] = s.run.urls;  // --urls: the list, whose host is the server's url
    if (const auto& b = s.client.s3)  // --s3 or --api s3: the bucket, whose server is url (none: the embedded one)
        settings["s3"] = {{"bucket", b->bucket}, {"prefix", b->prefix}, {"signed", b->credentials.has_value()}};
    settings["pm_qos"] = pm_qos;
    settings["max_time_s"] = std::chrono::duration<double>(s.run.max_time).count();  // 0: none
    settings["checkpoint"] = s.run.checkpoint;  // --checkpoint: whether kept runs kept one
    settings["repeat"] = rule.repeat ? nlohmann::json(rule.repeat) : nlohmann::json("auto");
    settings["warmup"] = rule.warmup;
    settings["precision"] = rule.precision;
    settings["budget_s"] = std::chrono::duration<double>(rule.budget).count();
    settings["spread_s"] = std::chrono::duration<double>(rule.spread).count();  // 0: back to back
    return write_json(s.run.json_path, results_json(settings, runs));
}

}  // namespace

int run_session(const Session& s) {
    auto prepared = prepare(s);
    if (!prepared) return usage(prepared.error());
    Prepared& o = prepared.value();
    std::vector<RunRecord> runs;
    std::cerr << "machine: " << o.qos->describe() << "\n";
    const nlohmann::json pm_qos = {{"asked", o.qos->asked()}, {"held", o.qos->held()}};
    const int failed = run_cells(s, o, runs);
    o.qos.reset();  // released before the report
    if (failed == kExitUsage && runs.empty()) return failed;  // bad input before anything ran: its one line only
    if (failed == kExitOk && runs.empty() && s.resume) return kExitOk;  // every run had ended verified: said
    if (o.out->kept()) std::cerr << "files kept under " << o.out->base().string() << "\n";
    if (!report(s, *o.out, runs, pm_qos, o.storage_notes)) {
        std::cerr << "billion: cannot write " << s.run.json_path << "\n";
        return kExitUnverified;
    }
    if (failed != kExitOk && failed != kExitInterrupted && !stop_requested()) return failed;
    // Interrupted before every cell had its runs: one run more was planned than ran.
    return exit_status(runs, runs.size() + (failed == kExitInterrupted ? 1 : 0));
}

}  // namespace billion::harness
