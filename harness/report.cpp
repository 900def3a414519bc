// The comparison table (in the talk's form) and the results JSON (results/SCHEMA.md).
#include "report.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iomanip>

#include "machine.hpp"
#include "units.hpp"

namespace billion::harness {

double RunRecord::per_request_s() const {
    auto files = result.stats.files;
    return files ? wall_s / static_cast<double>(files) : 0;
}

double RunRecord::files_per_s() const { return wall_s > 0 ? static_cast<double>(result.stats.files) / wall_s : 0; }

namespace {
std::string grouped(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}
std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}
}  // namespace

void print_table(std::ostream& out, const std::vector<RunRecord>& runs) {
    out << std::left << std::setw(11) << "approach" << std::right << std::setw(11) << "files" << std::setw(11)
        << "wall" << std::setw(13) << "per request" << std::setw(11) << "files/s" << "   " << std::left
        << std::setw(34) << "10^9 files (projected)" << "verified\n";
    for (const auto& r : runs) {
        double proj = r.per_request_s() * kBillion;
        std::string projection = r.result.stats.files
                                     ? format_duration(proj) + " (" + fixed(proj / 3600, 1) + " h, " +
                                           fixed(proj / 86400, 2) + " d)"
                                     : "-";
        std::string verdict = r.verification.ok ? "yes" : "NO: " + r.verification.first_problem();
        out << std::left << std::setw(11) << r.strategy << std::right << std::setw(11) << grouped(r.result.stats.files)
            << std::setw(11) << format_duration(r.wall_s) << std::setw(13) << format_duration(r.per_request_s())
            << std::setw(11) << grouped(static_cast<std::uint64_t>(r.files_per_s())) << "   " << std::left
            << std::setw(34) << projection << verdict << "\n";
    }
}

nlohmann::json run_json(const RunRecord& r) {
    const auto& s = r.result.stats;
    nlohmann::json j;
    j["strategy"] = r.strategy;
    j["model"] = r.model;
    j["knobs"] = {{"workers", r.options.workers},
                  {"processes", r.options.process_count()},
                  {"concurrency", r.options.concurrency},
                  {"batch", r.options.batch}};
    j["files"] = s.files;
    j["bytes"] = s.bytes;
    j["pages"] = s.pages;
    j["requests"] = s.requests;
    j["retries"] = s.retries;
    j["connections"] = s.connections;
    nlohmann::json failures;
    for (int i = 0; i < static_cast<int>(client::Stage::count_); ++i)
        failures[client::to_string(static_cast<client::Stage>(i))] = s.failures[static_cast<std::size_t>(i)];
    j["failures"] = failures;
    j["first_error"] = std::string(s.first_error);
    j["interrupted"] = r.result.interrupted;
    j["wall_s"] = r.wall_s;
    j["per_request_ms"] = r.per_request_s() * 1e3;
    j["files_per_s"] = r.files_per_s();
    double proj = r.per_request_s() * kBillion;
    j["projected_1e9"] = {{"seconds", proj}, {"hours", proj / 3600}, {"days", proj / 86400}};
    j["client_cpu_s"] = r.client_cpu_s;
    j["client_cpu_us_per_file"] = s.files ? r.client_cpu_s * 1e6 / static_cast<double>(s.files) : 0;
    j["server_cpu_s"] = r.server_cpu_s ? nlohmann::json(*r.server_cpu_s) : nlohmann::json(nullptr);
    j["peak_rss_kb"] = r.peak_rss_kb;
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
    for (const auto& c : r.verification.checks) checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
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
    j["settings"] = settings;
    j["runs"] = nlohmann::json::array();
    bool ok = !runs.empty();
    for (const auto& r : runs) {
        j["runs"].push_back(run_json(r));
        ok = ok && r.verification.ok;
    }
    j["verified"] = ok;
    return j;
}

}  // namespace billion::harness
