// Summary statistics of repeated runs (median, spread) and the fit of wall time against the
// catalog size (fixed cost + marginal cost per file).
#pragma once

#include <string>
#include <vector>

#include "harness/record.hpp"

namespace billion::harness {

// The counted runs of one cell (strategy, label, catalog size), summarised.
struct Summary {
    std::string strategy;
    std::string label;
    std::uint64_t catalog_files = 0;
    std::vector<const RunRecord*> runs;              // counted runs, in order
    const RunRecord* median = nullptr;               // the run of median wall time
    double wall_min = 0, wall_max = 0, wall_cv = 0;  // coefficient of variation of wall time
    double per_request_median = 0, per_request_min = 0, per_request_max = 0;
    bool verified = true;
};
std::vector<Summary> summarize(const std::vector<RunRecord>& runs);

// wall = fixed + files x marginal, least squares over every counted run of a strategy.
struct Fit {
    std::string strategy;
    std::string label;  // the cell's setting (latency=1ms): a fit never mixes two settings
    double fixed_s = 0;
    double marginal_s = 0;
    double r2 = 0;
    std::size_t points = 0;
    double projected_1e9_s() const { return fixed_s + marginal_s * kBillion; }
};
// One fit per strategy and setting that ran verified, uncapped, at two sizes or more.
std::vector<Fit> fit_sizes(const std::vector<RunRecord>& runs);

}  // namespace billion::harness
