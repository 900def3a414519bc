// The results JSON (see results_json.hpp).
#include "harness/report/results_json.hpp"

#include <chrono>
#include <ctime>
#include <fstream>

#include "harness/report/machine.hpp"
#include "harness/report/provenance.hpp"
#include "harness/report/statistics.hpp"

namespace billion::harness {

namespace {
// An object with one key per failure stage (connect, list, get, write, protocol).
template <class Value>
nlohmann::json per_stage(Value value_of) {
    nlohmann::json j;
    for (std::size_t i = 0; i < static_cast<std::size_t>(client::Stage::count_); ++i)
        j[client::to_string(static_cast<client::Stage>(i))] = value_of(i);
    return j;
}
// The talk's projection of a time for 10^9 files, in its three units.
nlohmann::json projection(double seconds) {
    return {{"seconds", seconds}, {"hours", seconds / 3600}, {"days", seconds / 86400}};
}

nlohmann::json knobs_json(const RunRecord& r) {
    const auto& job = r.job;
    nlohmann::json j = {
        {"workers", job.knobs.workers}, {"processes", job.process_count()}, {"concurrency", job.knobs.concurrency},
        {"batch", job.knobs.batch},     {"ranks", job.rank_count()},        {"hosts", job.knobs.hosts}};
    if (r.strategy == "threads") j["gil"] = job.knobs.gil;  // the only strategy a GIL changes
    if (r.strategy == "async" || r.strategy == "combo" || r.strategy == "cluster")
        j["pipeline"] = job.knobs.pipeline;  // the event-loop strategies pipeline
    return j;
}

double cpu_us_per_file(const RunRecord& r) {
    const auto files = r.result.stats.files;
    return files ? r.client_cpu_s * 1e6 / static_cast<double>(files) : 0;
}
}  // namespace

nlohmann::json token_chain_json(const RunRecord& r) {
    const auto c = r.token_chain();
    if (!c) return nullptr;
    return {{"steps", c->steps},
            {"step_us", c->step_s * 1e6},
            {"files_per_page", c->files_per_page},
            {"ceiling_files_per_s", c->ceiling_files_per_s}};
}

nlohmann::json run_json(const RunRecord& r) {
    const auto& s = r.result.stats;
    nlohmann::json j;
    j["strategy"] = r.strategy;
    j["model"] = r.model;
    j["label"] = r.label;
    j["warmup"] = r.warmup;
    j["repeat"] = r.repeat;
    j["catalog_files"] = r.catalog_files;
    j["latency_us_injected"] = r.latency_us;
    j["knobs"] = knobs_json(r);
    j["client_cpu_per_request_us"] = r.job.client.cpu_per_request.count();
    j["files"] = s.files;
    j["bytes"] = s.bytes;
    j["pages"] = s.pages;
    j["requests"] = s.requests;
    j["retries"] = s.retries;
    j["retry_wait_s"] = static_cast<double>(s.retry_wait_us) / 1e6;
    if (s.signed_requests) {  // --s3 with keys: what SigV4 cost the client
        j["signed_requests"] = s.signed_requests;
        j["signing_s"] = static_cast<double>(s.signing_ns) / 1e9;
    }
    j["connections"] = s.connections;
    j["failures"] = per_stage([&](std::size_t i) { return nlohmann::json(s.failures[i]); });
    j["first_error"] = std::string(s.first_error);
    j["first_error_by_stage"] = per_stage([&](std::size_t i) { return nlohmann::json(s.first_by_stage[i]); });
    j["interrupted"] = r.result.interrupted;
    j["capped"] = s.capped;
    j["token_chain"] = token_chain_json(r);
    j["wall_s"] = r.wall_s;
    j["verify_s"] = r.verify_s;
    j["per_request_ms"] = r.per_file_s() * 1e3;
    j["per_request_overall_ms"] = r.per_file_overall_s() * 1e3;
    j["startup_s"] = r.startup_s();
    j["steady"] = r.steady ? nlohmann::json{{"measured", true}, {"samples", r.steady->samples}, {"why_not", ""}}
                           : nlohmann::json{{"measured", false}, {"samples", 0}, {"why_not", r.unsteady_why}};
    j["files_per_s"] = r.files_per_s();
    j["projected_1e9"] = projection(r.projected_1e9_s());
    j["client_cpu_s"] = r.client_cpu_s;
    j["client_cpu_us_per_file"] = cpu_us_per_file(r);
    j["server_cpu_s"] = r.server_cpu_s ? nlohmann::json(*r.server_cpu_s) : nlohmann::json(nullptr);
    j["peak_rss_kb"] = r.peak_rss_kb;
    j["peak_rss_largest_kb"] = r.peak_rss_largest_kb;
    j["storage_1e9"] = r.storage_1e9 ? nlohmann::json{{"inodes", r.storage_1e9->inodes},
                                                      {"bytes", r.storage_1e9->bytes},
                                                      {"block_bytes", r.storage_1e9->block}}
                                     : nlohmann::json(nullptr);
    const auto& h = s.latency;
    j["latency_us"] = {{"load", "closed-loop"},
                       {"count", h.total},
                       {"mean", h.total ? static_cast<double>(h.sum) / static_cast<double>(h.total) / 1e3 : 0},
                       {"p50", static_cast<double>(h.quantile(0.5)) / 1e3},
                       {"p90", static_cast<double>(h.quantile(0.9)) / 1e3},
                       {"p99", static_cast<double>(h.quantile(0.99)) / 1e3},
                       {"p999", static_cast<double>(h.quantile(0.999)) / 1e3},
                       {"max", static_cast<double>(h.max) / 1e3}};
    if (r.server)
        j["server"] = {{"get_ok", r.server->get_ok},
                       {"list_requests", r.server->list_requests},
                       {"get_requests", r.server->get_requests},
                       {"connections_accepted", r.server->connections}};
    else
        j["server"] = nullptr;
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : r.verification.checks)
        checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
    j["verification"] = {{"ok", r.verification.ok}, {"checks", checks}};
    return j;
}

nlohmann::json results_json(const nlohmann::json& settings, const std::vector<RunRecord>& runs) {
    nlohmann::json j;
    j["schema"] = kSchema;
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    j["created"] = when;
    j["machine"] = machine_info();
    j["code"] = code_json();
    j["command"] = command_line();
    j["settings"] = settings;
    j["runs"] = nlohmann::json::array();
    for (const auto& r : runs)
        j["runs"].push_back(run_json(r));
    j["summary"] = nlohmann::json::array();
    bool ok = false;
    const auto rows = summarize(runs);
    for (const auto& s : rows) {
        ok = true;
        const RunRecord& m = *s.median;
        j["summary"].push_back(
            {{"strategy", s.strategy},
             {"label", s.label},
             {"catalog_files", s.catalog_files},
             {"latency_us_injected", m.latency_us},
             {"knobs", knobs_json(m)},
             {"runs", s.runs.size()},
             {"files", m.result.stats.files},
             {"wall_s", {{"median", m.wall_s}, {"min", s.wall_min}, {"max", s.wall_max}, {"cv", s.wall_cv}}},
             {"per_request_ms",
              {{"median", s.per_file * 1e3},
               {"interval", {s.per_file_interval.lo * 1e3, s.per_file_interval.hi * 1e3}},
               {"confidence", s.per_file_interval.confidence}}},
             {"startup_s", s.startup},
             {"steady", s.steady},
             {"rank", s.rank},
             {"tied", tied(rows, s)},
             {"files_per_s", m.files_per_s()},
             {"client_cpu_us_per_file", cpu_us_per_file(m)},
             {"projected_1e9", projection(s.projected_1e9_s())},
             {"verified", s.verified}});
    }
    j["fits"] = nlohmann::json::array();
    for (const auto& f : fit_sizes(runs)) {
        j["fits"].push_back({{"strategy", f.strategy},
                             {"label", f.label},
                             {"fixed_s", f.fixed_s},
                             {"marginal_us", f.marginal_s * 1e6},
                             {"r2", f.r2},
                             {"points", f.points},
                             {"projected_1e9", projection(f.projected_1e9_s())}});
    }
    for (const auto& r : runs)
        ok = ok && (r.warmup || r.verification.ok);
    j["verified"] = ok;
    return j;
}

nlohmann::json common_settings(const std::optional<std::string>& url, const mock::ServerConfig& o,
                               const client::ClientConfig& c, client::SinkConfig::Kind sink, const std::string& out) {
    nlohmann::json j;
    j["sink"] = client::to_string(sink);
    j["out"] = out;
    j["server"] = {{"embedded", !url.has_value()}};
    if (url) {
        j["server"]["url"] = *url;
    } else {
        j["server"]["page_size"] = o.catalog.page_size;
        j["server"]["file_size"] = o.catalog.file_size;
        j["server"]["seed"] = o.catalog.seed;
        j["server"]["threads"] = o.threads;
        j["server"]["latency_us"] = o.latency.count();
        j["server"]["jitter_us"] = o.jitter.count();
        j["server"]["faults"] = {{"error_rate", o.faults.error_rate},       {"throttle_rate", o.faults.throttle_rate},
                                 {"retry_after_s", o.faults.retry_after_s}, {"reset_rate", o.faults.reset_rate},
                                 {"truncate_rate", o.faults.truncate_rate}, {"seed", o.fault_seed}};
    }
    j["client"] = {{"connect_timeout_ms", c.connect_timeout.count()},
                   {"read_timeout_ms", c.read_timeout.count()},
                   {"max_attempts", c.max_attempts},
                   {"backoff_base_ms", c.backoff_base.count()},
                   {"backoff_cap_ms", c.backoff_cap.count()},
                   {"file_size", c.file_size},
                   {"names", c.names == client::NameRule::any ? "any" : "contract"},
                   {"cpu_per_request_us", c.cpu_per_request.count()}};
    return j;
}

bool write_json(const std::string& path, const nlohmann::json& doc) {
    std::ofstream f(path);
    f << doc.dump(2) << "\n";
    return static_cast<bool>(f);
}

}  // namespace billion::harness
