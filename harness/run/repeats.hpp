// How many times a cell runs. --repeat N: a warm-up, then N counted runs. By default, as Google
// Benchmark does with its minimum time: the first run is an uncounted warm-up when it was
// short (under a tenth of the budget: a long run warms up inside itself, and its steady
// state leaves the start-up out anyway); then counted runs follow until the median per-file
// time is known to the precision asked (its interval, statistics.hpp, within +-precision of
// it, from 5 runs on), or the cell's time budget is spent, or kMaxAutoRuns ran.
// --spread D: the counted runs start evenly over D, idle between them, so that their interval
// holds how the machine drifts over minutes, as a long run meets it (Google Benchmark's random
// interleaving spreads repetitions for the same reason); auto becomes kSpreadRuns runs.
#pragma once

#include <chrono>
#include <vector>

namespace billion::harness {

struct RepeatRule {
    int repeat = 0;                                              // counted runs; 0: until precise (the rule above)
    bool warmup = true;                                          // an uncounted run first
    double precision = 0.05;                                     // the interval's half-width over the median
    std::chrono::microseconds budget{std::chrono::seconds(10)};  // a cell's runs, warm-up included
    std::chrono::microseconds spread{0};                         // counted runs start evenly over it; 0: back to back
};

constexpr int kMaxAutoRuns = 30;
constexpr int kMinAutoRuns = 5;  // the fewest whose smallest and largest make a 90 % interval
constexpr int kSpreadRuns = 10;  // --spread with --repeat auto: two runs each side of the interval's ends

// Whether the first run, which took `wall_s`, was the warm-up.
bool first_is_warmup(const RepeatRule& rule, double wall_s);
// Whether the cell runs again, after counted runs with these per-file times, `elapsed_s`
// into the cell.
bool wants_another(const RepeatRule& rule, const std::vector<double>& per_file, double elapsed_s);
// --spread: when counted run k (0, 1, ...) starts, after the first counted run's start.
std::chrono::microseconds spread_offset(const RepeatRule& rule, int k);

}  // namespace billion::harness
