// The text and Markdown tables (see table.hpp).
#include "harness/table.hpp"

#include <algorithm>
#include <cstdio>

#include "harness/units.hpp"

namespace billion::harness {

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
            if (markdown)
                line += "| " + r[i] + " ";
            else
                line += (i ? "  " : "") + (left ? r[i] + (i + 1 == r.size() ? "" : pad) : pad + r[i]);
        }
        out << line << (markdown ? "|" : "") << "\n";
        if (markdown && k == 0) {
            for (std::size_t i = 0; i < r.size(); ++i)
                out << (i == 0 ? "| --- " : "| ---: ");
            out << "|\n";
        }
    }
}

}  // namespace

void print_table(std::ostream& out, const std::vector<Summary>& rows, bool markdown) {
    bool repeated = false, labelled = false;
    for (const auto& s : rows) {
        repeated = repeated || s.runs.size() > 1;
        labelled = labelled || !s.label.empty();
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head = {"approach"};
    if (labelled) head.push_back("setting");
    for (const char* h : {"files", "wall", "per request", "files/s"})
        head.push_back(h);
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
    for (const auto& s : rows)
        labelled = labelled || !s.label.empty();
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
        for (double q : {0.5, 0.9, 0.99, 0.999})
            row.push_back(h.total ? us(h.quantile(q)) : "-");
        row.push_back(h.total ? us(h.max) : "-");
        row.push_back(format_duration(r.client_cpu_s / files));
        if (const auto& cpu = r.server_cpu_s)
            row.push_back(format_duration(*cpu / files));
        else
            row.push_back("-");
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

}  // namespace billion::harness
