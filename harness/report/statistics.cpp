// Medians, spread and the least-squares size fit (see statistics.hpp).
#include "harness/report/statistics.hpp"

#include "client/check.hpp"
#include "harness/report/line_fit.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace billion::harness {

namespace {

// P(Binomial(n, 1/2) < k).
double binomial_below(std::size_t n, std::size_t k) {
    double term = std::pow(0.5, static_cast<double>(n)), sum = 0;  // C(n, 0) / 2^n
    for (std::size_t i = 0; i < k; ++i) {
        sum += term;
        term = term * static_cast<double>(n - i) / static_cast<double>(i + 1);
    }
    return sum;
}

bool same_server(const RunRecord& a, const RunRecord& b) {
    return a.catalog_files == b.catalog_files && a.latency_us == b.latency_us;
}

// Ranks rows among the rows of the same server settings (see Summary::rank).
void rank(std::vector<Summary>& rows) {
    for (auto& row : rows) {
        if (row.runs.size() < 2 || !row.verified) continue;
        row.rank = 1;
        for (const auto& other : rows)
            if (&other != &row && other.runs.size() > 1 && other.verified && same_server(*other.median, *row.median) &&
                other.per_file_interval.hi < row.per_file_interval.lo)
                ++row.rank;
    }
}

}  // namespace

Interval median_interval(std::vector<double> v) {
    Interval in;
    if (v.empty()) return in;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    std::size_t k = 1;
    while (k + 1 <= n / 2 && 1 - 2 * binomial_below(n, k + 1) >= kConfidence)
        ++k;
    BILLION_CHECK(k >= 1 && k <= n - k + 1);  // the k-th smallest is at or below the k-th largest
    in.lo = v[k - 1];
    in.hi = v[n - k];
    in.confidence = n > 1 ? 1 - 2 * binomial_below(n, k) : 0;
    return in;
}

double relative_half_width(const Interval& i, double median) {
    return median > 0 ? (i.hi - i.lo) / 2 / median : 0;
}

bool tied(const std::vector<Summary>& rows, const Summary& row) {
    if (row.rank == 0) return false;
    return std::any_of(rows.begin(), rows.end(), [&](const Summary& o) {
        return &o != &row && o.rank == row.rank && same_server(*o.median, *row.median);
    });
}

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
        std::vector<const RunRecord*> by_time = s.runs;
        std::sort(by_time.begin(), by_time.end(), [](auto* a, auto* b) { return a->per_file_s() < b->per_file_s(); });
        s.median = by_time[by_time.size() / 2];
        double mean = 0, var = 0;
        std::vector<double> per_file;
        s.wall_min = s.wall_max = s.runs.front()->wall_s;
        for (auto* r : s.runs) {
            mean += r->wall_s / static_cast<double>(s.runs.size());
            s.wall_min = std::min(s.wall_min, r->wall_s);
            s.wall_max = std::max(s.wall_max, r->wall_s);
            per_file.push_back(r->per_file_s());
            s.verified = s.verified && r->verification.ok;
            s.steady = s.steady && r->steady.has_value();
        }
        for (auto* r : s.runs)
            var += (r->wall_s - mean) * (r->wall_s - mean);
        s.wall_cv = s.runs.size() > 1 && mean > 0 ? std::sqrt(var / static_cast<double>(s.runs.size() - 1)) / mean : 0;
        s.per_file = s.median->per_file_s();
        s.per_file_interval = median_interval(per_file);
        s.startup = s.median->startup_s();  // the median run's, so its wall = start-up + files x per file
    }
    rank(out);
    return out;
}

std::vector<Fit> fit_sizes(const std::vector<RunRecord>& runs) {
    std::vector<Fit> fits;
    using Key = std::pair<std::string, std::string>;  // strategy, setting
    std::vector<Key> order;
    std::map<Key, std::vector<std::pair<double, double>>> points;
    for (const auto& r : runs) {
        // A capped run's wall time is the cap, not the work: it says nothing of the cost per file.
        if (r.warmup || !r.verification.ok || r.result.stats.capped) continue;
        const Key key{r.strategy, r.label};
        if (!points.count(key)) order.push_back(key);
        points[key].emplace_back(static_cast<double>(r.result.stats.files), r.wall_s);
    }
    for (const auto& key : order) {
        const auto& p = points[key];
        const bool sizes = std::any_of(p.begin(), p.end(), [&](auto q) { return q.first != p.front().first; });
        if (!sizes) continue;  // one size only (repeats of it): nothing to fit
        const Line line = fit_line(p);
        Fit f{key.first, key.second};
        f.marginal_s = line.slope;
        f.fixed_s = line.intercept;
        f.r2 = line.r2;
        f.points = p.size();
        fits.push_back(f);
    }
    return fits;
}

}  // namespace billion::harness
