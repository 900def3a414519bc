// Summaries, size fits, the comparison table (in the talk's form, plain or Markdown) and the
// results JSON (results/SCHEMA.md).
#include "harness/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "harness/machine.hpp"
#include "harness/units.hpp"

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

std::string projection(double seconds) {
    return format_duration(seconds) + " (" + fixed(seconds / 3600, 1) + " h, " + fixed(seconds / 86400, 2) + " d)";
}

// Prints rows of cells aligned (first column left, others right), or as a Markdown table.
void print_rows(std::ostream& out, const std::vector<std::vector<std::string>>& rows, bool markdown) {
    std::vector<std::size_t> width;
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (width.size() <= i) width.push_back(0);
            width[i] = std::max(width[i], r[i].size());
        }
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto& r = rows[k];
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            std::string pad(width[i] - r[i].size(), ' ');
            bool left = i == 0 || i + 1 == r.size();
            if (markdown) line += "| " + r[i] + " ";
            else line += (i ? "  " : "") + (left ? r[i] + (i + 1 == r.size() ? "" : pad) : pad + r[i]);
        }
        out << line << (markdown ? "|" : "") << "\n";
        if (markdown && k == 0) {
            for (std::size_t i = 0; i < r.size(); ++i) out << (i == 0 ? "| --- " : "| ---: ");
            out << "|\n";
        }
    }
}

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

std::vector<Summary> summarize(const std::vector<RunRecord>& runs) {
    std::vector<Summary> out;
    for (const auto& r : runs) {
        if (r.warmup) continue;
        auto it = std::find_if(out.begin(), out.end(), [&](const Summary& s) {
            return s.strategy == r.strategy && s.label == r.label && s.catalog_files == r.catalog_files;
        });
        if (it == out.end()) it = out.insert(out.end(), Summary{r.strategy, r.label, r.catalog_files, {}});
        it->runs.push_back(&r);
    }
    for (auto& s : out) {
        std::vector<const RunRecord*> by_wall = s.runs;
        std::sort(by_wall.begin(), by_wall.end(), [](auto* a, auto* b) { return a->wall_s < b->wall_s; });
        s.median = by_wall[by_wall.size() / 2];
        s.wall_min = by_wall.front()->wall_s;
        s.wall_max = by_wall.back()->wall_s;
        double mean = 0, var = 0;
        std::vector<double> per_request;
        for (auto* r : s.runs) {
            mean += r->wall_s / static_cast<double>(s.runs.size());
            per_request.push_back(r->per_request_s());
            s.verified = s.verified && r->verification.ok;
        }
        for (auto* r : s.runs) var += (r->wall_s - mean) * (r->wall_s - mean);
        s.wall_cv = s.runs.size() > 1 && mean > 0 ? std::sqrt(var / static_cast<double>(s.runs.size() - 1)) / mean : 0;
        s.per_request_median = median_of(per_request);
        s.per_request_min = *std::min_element(per_request.begin(), per_request.end());
        s.per_request_max = *std::max_element(per_request.begin(), per_request.end());
    }
    return out;
}

std::vector<Fit> fit_sizes(const std::vector<RunRecord>& runs) {
    std::vector<Fit> fits;
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::pair<double, double>>> points;
    for (const auto& r : runs) {
        if (r.warmup || !r.verification.ok) continue;
        if (!points.count(r.strategy)) order.push_back(r.strategy);
        points[r.strategy].emplace_back(static_cast<double>(r.result.stats.files), r.wall_s);
    }
    for (const auto& name : order) {
        const auto& p = points[name];
        double n = static_cast<double>(p.size()), mx = 0, my = 0;
        for (auto [x, y] : p) mx += x / n, my += y / n;
        double sxx = 0, sxy = 0, syy = 0;
        for (auto [x, y] : p) sxx += (x - mx) * (x - mx), sxy += (x - mx) * (y - my), syy += (y - my) * (y - my);
        if (p.size() < 2 || sxx <= 0) continue;  // one size only: nothing to fit
        Fit f{name};
        f.marginal_s = sxy / sxx;
        f.fixed_s = my - f.marginal_s * mx;
        double ss_res = 0;
        for (auto [x, y] : p) ss_res += std::pow(y - (f.fixed_s + f.marginal_s * x), 2);
        f.r2 = syy > 0 ? 1 - ss_res / syy : 1;
        f.points = p.size();
        fits.push_back(f);
    }
    return fits;
}

void print_table(std::ostream& out, const std::vector<Summary>& rows, bool markdown) {
    bool repeated = false, labelled = false;
    for (const auto& s : rows) repeated = repeated || s.runs.size() > 1, labelled = labelled || !s.label.empty();
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head = {"approach"};
    if (labelled) head.push_back("setting");
    for (const char* h : {"files", "wall", "per request", "files/s"}) head.push_back(h);
    if (repeated) head.push_back("spread (CV)");
    head.push_back("10^9 files (projected)");
    head.push_back("verified");
    cells.push_back(head);
    for (const auto& s : rows) {
        const RunRecord& r = *s.median;
        std::vector<std::string> row = {s.strategy};
        if (labelled) row.push_back(s.label);
        row.push_back(grouped(r.result.stats.files));
        row.push_back(format_duration(r.wall_s));
        row.push_back(r.result.stats.files ? format_duration(s.per_request_median) : "-");
        row.push_back(grouped(static_cast<std::uint64_t>(r.files_per_s())));
        if (repeated) row.push_back(fixed(100 * s.wall_cv, 1) + " % of " + std::to_string(s.runs.size()));
        row.push_back(r.result.stats.files ? projection(s.per_request_median * kBillion) : "-");
        std::string verdict = "yes";
        for (auto* run : s.runs)
            if (!run->verification.ok) verdict = "NO: " + run->verification.first_problem();
        row.push_back(verdict);
        cells.push_back(row);
    }
    print_rows(out, cells, markdown);
}

void print_resources(std::ostream& out, const std::vector<Summary>& rows, bool markdown) {
    if (rows.empty()) return;
    bool labelled = false;
    for (const auto& s : rows) labelled = labelled || !s.label.empty();
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head = {"approach"};
    if (labelled) head.push_back("setting");
    for (const char* h : {"p50", "p90", "p99", "p99.9", "max", "client CPU/file", "server CPU/file", "peak RSS",
                          "connections", "retries"})
        head.push_back(h);
    cells.push_back(head);
    auto us = [](std::uint64_t ns) { return format_duration(static_cast<double>(ns) / 1e9); };
    for (const auto& s : rows) {
        const RunRecord& r = *s.median;
        const auto& st = r.result.stats;
        const auto& h = st.latency;
        double files = static_cast<double>(std::max<std::uint64_t>(1, st.files));
        std::vector<std::string> row = {s.strategy};
        if (labelled) row.push_back(s.label);
        for (double q : {0.5, 0.9, 0.99, 0.999}) row.push_back(h.total ? us(h.quantile(q)) : "-");
        row.push_back(h.total ? us(h.max) : "-");
        row.push_back(format_duration(r.client_cpu_s / files));
        row.push_back(r.server_cpu_s ? format_duration(*r.server_cpu_s / files) : "-");
        std::string rss = fixed(static_cast<double>(r.peak_rss_kb) / 1024, 1) + " MiB";
        // Several processes: their peaks added up, and the largest one.
        if (r.peak_rss_largest_kb != r.peak_rss_kb)
            rss += " (largest " + fixed(static_cast<double>(r.peak_rss_largest_kb) / 1024, 1) + ")";
        row.push_back(rss);
        row.push_back(grouped(st.connections));
        row.push_back(grouped(st.retries));
        cells.push_back(row);
    }
    out << "\nper-file latency (closed-loop load: each worker sends its next request when the last is answered)"
           " and resources, median run:\n";
    print_rows(out, cells, markdown);
}

void print_fits(std::ostream& out, const std::vector<Fit>& fits, bool markdown) {
    if (fits.empty()) return;
    std::vector<std::vector<std::string>> cells = {
        {"approach", "fixed", "per file (marginal)", "R^2", "runs", "10^9 files (from the fit)"}};
    for (const auto& f : fits)
        cells.push_back({f.strategy, format_duration(f.fixed_s), format_duration(f.marginal_s), fixed(f.r2, 4),
                         std::to_string(f.points), projection(f.projected_1e9_s())});
    out << "\nwall time = fixed + files x marginal, fitted across sizes:\n";
    print_rows(out, cells, markdown);
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
    nlohmann::json first_by_stage;  // "" where the stage had no failure
    for (int i = 0; i < static_cast<int>(client::Stage::count_); ++i)
        first_by_stage[client::to_string(static_cast<client::Stage>(i))] = std::string(s.first_by_stage[i]);
    j["first_error_by_stage"] = first_by_stage;
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
    j["peak_rss_largest_kb"] = r.peak_rss_largest_kb;
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
    for (const auto& r : runs) j["runs"].push_back(run_json(r));
    j["summary"] = nlohmann::json::array();
    bool ok = false;
    for (const auto& s : summarize(runs)) {
        ok = true;
        const RunRecord& m = *s.median;
        double proj = s.per_request_median * kBillion;
        j["summary"].push_back({{"strategy", s.strategy},
                                {"label", s.label},
                                {"catalog_files", s.catalog_files},
                                {"latency_us_injected", m.latency_us},
                                {"knobs", run_json(m)["knobs"]},
                                {"runs", s.runs.size()},
                                {"files", m.result.stats.files},
                                {"wall_s", {{"median", m.wall_s}, {"min", s.wall_min}, {"max", s.wall_max}, {"cv", s.wall_cv}}},
                                {"per_request_ms",
                                 {{"median", s.per_request_median * 1e3},
                                  {"min", s.per_request_min * 1e3},
                                  {"max", s.per_request_max * 1e3}}},
                                {"files_per_s", m.files_per_s()},
                                {"client_cpu_us_per_file", run_json(m)["client_cpu_us_per_file"]},
                                {"projected_1e9", {{"seconds", proj}, {"hours", proj / 3600}, {"days", proj / 86400}}},
                                {"verified", s.verified}});
    }
    j["fits"] = nlohmann::json::array();
    for (const auto& f : fit_sizes(runs)) {
        double proj = f.projected_1e9_s();
        j["fits"].push_back({{"strategy", f.strategy},
                             {"fixed_s", f.fixed_s},
                             {"marginal_us", f.marginal_s * 1e6},
                             {"r2", f.r2},
                             {"points", f.points},
                             {"projected_1e9", {{"seconds", proj}, {"hours", proj / 3600}, {"days", proj / 86400}}}});
    }
    for (const auto& r : runs) ok = ok && (r.warmup || r.verification.ok);
    j["verified"] = ok;
    return j;
}

}  // namespace billion::harness
