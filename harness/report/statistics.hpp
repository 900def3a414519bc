// Summary statistics of repeated runs (median, its interval, rank) and the fit of wall time
// against the catalog size (fixed cost + marginal cost per file).
#pragma once

#include <string>
#include <vector>

#include "harness/report/run_record.hpp"

namespace billion::harness {

// Where the median of what runs measure lies: between two of the runs' values, picked by
// rank (order statistics), so nothing is assumed of how run times are distributed. With n
// runs, the k-th smallest and k-th largest hold the median with the probability
// 1 - 2 P(Binomial(n, 1/2) < k); k is the largest that keeps it at least kConfidence. With
// fewer than 5 runs even the smallest and largest hold it less often (2 runs: 50 %).
constexpr double kConfidence = 0.9;
struct Interval {
    double lo = 0, hi = 0;
    double confidence = 0;  // 0: one run, no interval
};
Interval median_interval(std::vector<double> values);
// The relative half-width of an interval around a median: (hi - lo) / 2 / median.
double relative_half_width(const Interval& i, double median);

// The counted runs of one cell (strategy, label, catalog size), summarised.
struct Summary {
    std::string strategy;
    std::string label;
    std::uint64_t catalog_files = 0;
    std::vector<const RunRecord*> runs;              // counted runs, in order
    const RunRecord* median = nullptr;               // the run of median per-file time
    double wall_min = 0, wall_max = 0, wall_cv = 0;  // coefficient of variation of wall time
    double per_file = 0;                             // median steady per-file time (run_record.hpp)
    Interval per_file_interval;                      // where that median lies
    double startup = 0;                              // the median run's start-up
    bool steady = true;                              // every run had a steady state
    bool verified = true;
    // 1 + the rows of the same server settings that are faster beyond doubt (their interval
    // lies wholly below this one's); rows of equal rank tie. 0: not ranked (a row of one run).
    int rank = 0;
    double projected_1e9_s() const { return startup + per_file * kBillion; }
};
std::vector<Summary> summarize(const std::vector<RunRecord>& runs);
// Whether another row has the same rank as `row` among the rows of its server settings.
bool tied(const std::vector<Summary>& rows, const Summary& row);

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
