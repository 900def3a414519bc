// The text and Markdown tables (see table.hpp).
#include "harness/report/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "harness/common/format.hpp"
#include "harness/run/steady_state.hpp"

namespace billion::harness {

namespace {

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// One unit for a whole column of durations, chosen by its largest value, so rows compare at a
// glance (never "20.0 hours" above "12.4 days").
struct Unit {
    const char* name;
    double seconds;
    int decimals;
};

Unit unit_for(const std::vector<double>& seconds) {
    double largest = 0, smallest = 0;
    for (double s : seconds) {
        largest = std::max(largest, s);
        if (s > 0) smallest = smallest > 0 ? std::min(smallest, s) : s;
    }
    Unit u = largest < 1e-3        ? Unit{"us", 1e-6, 0}
             : largest < 1         ? Unit{"ms", 1e-3, 0}
             : largest < 120       ? Unit{"s", 1, 0}
             : largest < 2 * 3600  ? Unit{"min", 60, 0}
             : largest < 2 * 86400 ? Unit{"h", 3600, 0}
                                   : Unit{"d", 86400, 0};
    // Enough decimals for the smallest value to keep two significant digits (1 to 3).
    const double small = smallest > 0 ? smallest / u.seconds : 1;
    u.decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(small))), 1, 3);
    return u;
}

std::string in_unit(double seconds, const Unit& u) {
    return fixed(seconds / u.seconds, u.decimals) + " " + u.name;
}

// Which columns hold numbers (right-aligned); the rest are text (left-aligned).
using Numeric = std::vector<bool>;

// A table's header row, and which of its columns hold numbers.
struct Header {
    std::vector<std::string> names;
    Numeric numeric;
    void add(const std::string& name, bool is_number) {
        names.push_back(name);
        numeric.push_back(is_number);
    }
    // "approach", and "setting" when the rows carry one.
    explicit Header(bool labelled) {
        add("approach", false);
        if (labelled) add("setting", false);
    }
};

// Prints rows of cells aligned (text left, numbers right), or as a Markdown table.
void print_rows(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const Numeric& numeric,
                bool markdown) {
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
            const bool left = i >= numeric.size() || !numeric[i];
            if (markdown)
                line += "| " + r[i] + " ";
            else
                line += (i ? "  " : "") + (left ? r[i] + (i + 1 == r.size() ? "" : pad) : pad + r[i]);
        }
        out << line << (markdown ? "|" : "") << "\n";
        if (markdown && k == 0) {
            for (std::size_t i = 0; i < r.size(); ++i)
                out << (i < numeric.size() && numeric[i] ? "| ---: " : "| --- ");
            out << "|\n";
        }
    }
}

}  // namespace

namespace {

// Whether the runs stopped before the median was known to the precision asked (0: a fixed
// number of runs was asked, so nothing stopped them early).
bool imprecise(const Summary& s, double precision) {
    const Interval& i = s.per_file_interval;
    return precision > 0 && s.runs.size() > 1 &&
           (i.confidence < kConfidence || relative_half_width(i, s.per_file) > precision);
}

std::string interval_cell(const Summary& s, const Unit& u, double precision) {
    const Interval& i = s.per_file_interval;
    if (s.runs.size() < 2) return "-";
    std::string cell =
        fixed(i.lo / u.seconds, u.decimals) + "-" + in_unit(i.hi, u) + ", " + std::to_string(s.runs.size()) + " runs";
    // Too few runs for the stated confidence: say how sure this interval is.
    if (i.confidence < kConfidence) cell += " (" + std::to_string(std::lround(100 * i.confidence)) + " %)";
    if (imprecise(s, precision)) cell += " !";
    return cell;
}

// A start-up the median run's fit puts below zero is noise around zero, not time given back.
std::string startup_cell(const Summary& s, const Unit& u) {
    return s.startup < 0 ? "~0" : in_unit(s.startup, u);
}

std::string rank_cell(const std::vector<Summary>& rows, const Summary& s) {
    if (s.rank == 0) return "-";
    return std::to_string(s.rank) + (tied(rows, s) ? "=" : "");
}

}  // namespace

void print_table(std::ostream& out, const std::vector<Summary>& rows, bool markdown, double precision) {
    bool budget_ended = false, below_zero = false;
    bool repeated = false, labelled = false, ranked = false, unsteady = false, unsampled = false, capped = false;
    std::vector<double> walls, per_file, startups, projected;
    for (const auto& s : rows) {
        repeated = repeated || s.runs.size() > 1;
        labelled = labelled || !s.label.empty();
        ranked = ranked || s.rank > 0;
        walls.push_back(s.median->wall_s);
        per_file.push_back(s.per_file);
        startups.push_back(std::abs(s.startup));
        projected.push_back(s.projected_1e9_s());
    }
    const Unit wall = unit_for(walls), request = unit_for(per_file), start = unit_for(startups),
               days = unit_for(projected);
    Header head(labelled);
    for (const char* h : {"files", "wall", "start-up", "per file", "files/s"})
        head.add(h, true);
    if (repeated) head.add("per file: " + std::to_string(std::lround(100 * kConfidence)) + " % interval", true);
    head.add("10^9 files (projected)", true);
    if (ranked) head.add("rank", true);
    head.add("verified", false);
    std::vector<std::vector<std::string>> cells = {head.names};
    for (const auto& s : rows) {
        const RunRecord& r = *s.median;
        const bool any = r.result.stats.files > 0;
        std::vector<std::string> row = {s.strategy};
        if (labelled) row.push_back(s.label);
        row.push_back(grouped(r.result.stats.files));
        row.push_back(in_unit(r.wall_s, wall));
        row.push_back(any && s.steady ? startup_cell(s, start) : "-");
        below_zero = below_zero || (any && s.steady && s.startup < 0);
        row.push_back(any ? in_unit(s.per_file, request) + (s.steady ? "" : " *") : "-");
        row.push_back(any && s.per_file > 0 ? grouped(static_cast<std::uint64_t>(1 / s.per_file)) : "0");
        if (repeated) row.push_back(interval_cell(s, request, precision));
        budget_ended = budget_ended || imprecise(s, precision);
        row.push_back(any ? in_unit(s.projected_1e9_s(), days) : "-");
        if (ranked) row.push_back(rank_cell(rows, s));
        std::string verdict = "yes";
        for (auto* run : s.runs)
            if (run->result.stats.capped) verdict = "yes, capped";  // a verified prefix (--max-time)
        for (auto* run : s.runs)
            if (!run->verification.ok) verdict = "NO: " + run->verification.first_problem();
        capped = capped || verdict == "yes, capped";
        // Unsteady because the server has no /stats to sample: more files would not help.
        const bool no_stats = any && !s.steady && !s.runs.empty() && s.runs.front()->unsteady_why == kNoStatsToSample;
        unsampled = unsampled || no_stats;
        unsteady = unsteady || (any && !s.steady && !no_stats);
        row.push_back(verdict);
        cells.push_back(row);
    }
    print_rows(out, cells, head.numeric, markdown);
    // Each column in a line, so a first reader needs nothing else to read the table.
    const std::string item = markdown ? "- " : "  ";
    const std::string interval = std::to_string(std::lround(100 * kConfidence)) + " %";
    out << "\n" << item << "files: downloaded and verified in the row's median run (the run of median per-file time)\n"
        << item << "wall: that run's time, from its first request to its last file written\n"
        << item << "start-up: wall - files x per file (processes, connections, first page, tail)"
        << (below_zero ? "; ~0: the fit put it below zero, within the noise of the middle's rate" : "") << "\n"
        << item << "per file: the steady rate's time a file, sampled from the server's counters in the run's middle\n"
        << item << "files/s: 1 / per file\n";
    if (repeated)
        out << item << "per file: " << interval << " interval: where the median per file of the row's runs lies; (N %): "
            << "too few runs for " << interval << ", the interval's own confidence\n";
    if (budget_ended)
        out << item << "!: the row's time budget or run cap ended its runs before the interval came within +-"
            << std::lround(100 * precision) << " % of the median\n";
    out << item << "10^9 files (projected): start-up + 10^9 x per file\n";
    if (unsteady) out << "* too short to sample a steady rate: wall / files, start-up included (use more files)\n";
    if (unsampled)
        out << "* the server has no /stats to sample a steady rate from: wall / files, start-up included\n";
    if (capped) out << "capped: --max-time ended the listing; the files listed before it were all fetched\n";
    if (ranked) print_ranking(out, rows);
}

void print_ranking(std::ostream& out, const std::vector<Summary>& rows) {
    // One line per server setting (catalog size, latency), its ranked rows in rank order.
    using Setting = std::pair<std::uint64_t, std::int64_t>;
    std::vector<Setting> settings;
    for (const auto& s : rows) {
        const Setting key{s.median->catalog_files, s.median->latency_us};
        if (s.rank > 0 && std::find(settings.begin(), settings.end(), key) == settings.end()) settings.push_back(key);
    }
    for (const auto& key : settings) {
        std::vector<const Summary*> ranked;
        for (const auto& s : rows)
            if (s.rank > 0 && Setting{s.median->catalog_files, s.median->latency_us} == key) ranked.push_back(&s);
        // By rank, then in the table's order (rows sit in one vector, so their addresses are in order).
        std::sort(ranked.begin(), ranked.end(),
                  [](auto* a, auto* b) { return a->rank != b->rank ? a->rank < b->rank : a < b; });
        std::string line = "ranked";
        if (settings.size() > 1)
            line += " (" + grouped(key.first) + " files, latency " + compact_duration(key.second) + ")";
        line += ":";
        for (std::size_t i = 0; i < ranked.size(); ++i) {
            const Summary& s = *ranked[i];
            const std::string name = s.strategy + (s.label.empty() ? "" : " (" + s.label + ")");
            if (i > 0 && s.rank == ranked[i - 1]->rank)
                line += " = " + name;
            else
                line += (i ? ", then " : " ") + std::to_string(s.rank) + ". " + name;
        }
        out << line << "\n";
    }
    if (!settings.empty())
        out << "(a row ranks above another only when their per-file intervals do not overlap; '=' is a tie)\n";
}

void print_resources(std::ostream& out, const std::vector<Summary>& rows, bool markdown) {
    if (rows.empty()) return;
    bool labelled = false;
    std::vector<double> latencies, cpu;
    for (const auto& s : rows) {
        labelled = labelled || !s.label.empty();
        const auto& st = s.median->result.stats;
        latencies.push_back(static_cast<double>(st.latency.max) / 1e9);
        const double files = static_cast<double>(std::max<std::uint64_t>(1, st.files));
        cpu.push_back(s.median->client_cpu_s / files);
        if (const auto& server = s.median->server_cpu_s) cpu.push_back(*server / files);
    }
    const Unit latency = unit_for(latencies), per_file = unit_for(cpu);
    Header head(labelled);
    for (const char* h : {"p50", "p90", "p99", "p99.9", "max", "client CPU/file", "server CPU/file", "peak RSS",
                          "connections", "retries"})
        head.add(h, true);
    std::vector<std::vector<std::string>> cells = {head.names};
    auto at = [&](std::uint64_t ns) { return in_unit(static_cast<double>(ns) / 1e9, latency); };
    for (const auto& s : rows) {
        const RunRecord& r = *s.median;
        const auto& st = r.result.stats;
        const auto& h = st.latency;
        const double files = static_cast<double>(std::max<std::uint64_t>(1, st.files));
        std::vector<std::string> row = {s.strategy};
        if (labelled) row.push_back(s.label);
        for (double q : {0.5, 0.9, 0.99, 0.999})
            row.push_back(h.total ? at(h.quantile(q)) : "-");
        row.push_back(h.total ? at(h.max) : "-");
        row.push_back(in_unit(r.client_cpu_s / files, per_file));
        if (const auto& server = r.server_cpu_s)
            row.push_back(in_unit(*server / files, per_file));
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
    print_rows(out, cells, head.numeric, markdown);
}

void print_fits(std::ostream& out, const std::vector<Fit>& fits, bool markdown) {
    if (fits.empty()) return;
    std::vector<double> fixed_costs, marginal, projected;
    bool labelled = false;
    for (const auto& f : fits) {
        labelled = labelled || !f.label.empty();
        fixed_costs.push_back(std::abs(f.fixed_s));
        marginal.push_back(f.marginal_s);
        projected.push_back(f.projected_1e9_s());
    }
    const Unit start = unit_for(fixed_costs), per_file = unit_for(marginal), days = unit_for(projected);
    Header head(labelled);
    for (const char* h : {"fixed", "per file (marginal)", "R^2", "runs", "10^9 files (from the fit)"})
        head.add(h, true);
    std::vector<std::vector<std::string>> cells = {head.names};
    for (const auto& f : fits) {
        std::vector<std::string> row = {f.strategy};
        if (labelled) row.push_back(f.label);
        for (auto cell : {in_unit(f.fixed_s, start), in_unit(f.marginal_s, per_file), fixed(f.r2, 4),
                          std::to_string(f.points), in_unit(f.projected_1e9_s(), days)})
            row.push_back(cell);
        cells.push_back(row);
    }
    out << "\nwall time = fixed + files x marginal, fitted across sizes:\n";
    print_rows(out, cells, head.numeric, markdown);
}

void print_cells(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& numeric,
                 bool markdown) {
    print_rows(out, rows, numeric, markdown);
}

std::vector<std::string> duration_column(const std::vector<double>& seconds) {
    const Unit u = unit_for(seconds);
    std::vector<std::string> cells;
    for (double s : seconds)
        cells.push_back(s > 0 ? in_unit(s, u) : "-");
    return cells;
}

}  // namespace billion::harness
