// Medians, spread and the least-squares size fit (see statistics.hpp).
#include "harness/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace billion::harness {

namespace {

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
        for (auto* r : s.runs)
            var += (r->wall_s - mean) * (r->wall_s - mean);
        s.wall_cv = s.runs.size() > 1 && mean > 0 ? std::sqrt(var / static_cast<double>(s.runs.size() - 1)) / mean : 0;
        s.per_request_median = median_of(per_request);
        s.per_request_min = *std::min_element(per_request.begin(), per_request.end());
        s.per_request_max = *std::max_element(per_request.begin(), per_request.end());
    }
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
        double n = static_cast<double>(p.size()), mx = 0, my = 0;
        for (auto [x, y] : p) {
            mx += x / n;
            my += y / n;
        }
        double sxx = 0, sxy = 0, syy = 0;
        for (auto [x, y] : p) {
            sxx += (x - mx) * (x - mx);
            sxy += (x - mx) * (y - my);
            syy += (y - my) * (y - my);
        }
        if (p.size() < 2 || sxx <= 0) continue;  // one size only: nothing to fit
        Fit f{key.first, key.second};
        f.marginal_s = sxy / sxx;
        f.fixed_s = my - f.marginal_s * mx;
        double ss_res = 0;
        for (auto [x, y] : p)
            ss_res += std::pow(y - (f.fixed_s + f.marginal_s * x), 2);
        f.r2 = syy > 0 ? 1 - ss_res / syy : 1;
        f.points = p.size();
        fits.push_back(f);
    }
    return fits;
}

}  // namespace billion::harness
