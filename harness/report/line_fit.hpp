// Least squares: the line y = intercept + slope x through points. Shared by the size fit
// (wall against files, statistics.hpp) and the steady state (time against files, steady_state.hpp).
#pragma once

#include <cmath>
#include <utility>
#include <vector>

namespace billion::harness {

struct Line {
    double slope = 0, intercept = 0;
    double r2 = 0;   // 1 when every point lies on the line (or y never varies)
    double sxx = 0;  // spread of x: 0 when every x is the same, and then there is no line
};

inline Line fit_line(const std::vector<std::pair<double, double>>& points) {
    Line l;
    const double n = static_cast<double>(points.size());
    if (points.empty()) return l;
    double mx = 0, my = 0;
    for (auto [x, y] : points) {
        mx += x / n;
        my += y / n;
    }
    double sxy = 0, syy = 0;
    for (auto [x, y] : points) {
        l.sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y - my);
        syy += (y - my) * (y - my);
    }
    if (l.sxx <= 0) return l;
    l.slope = sxy / l.sxx;
    l.intercept = my - l.slope * mx;
    double ss_res = 0;
    for (auto [x, y] : points)
        ss_res += std::pow(y - (l.intercept + l.slope * x), 2);
    l.r2 = syy > 0 ? 1 - ss_res / syy : 1;
    return l;
}

}  // namespace billion::harness
