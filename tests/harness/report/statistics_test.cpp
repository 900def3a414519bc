// Repeats summarised by their median and spread; wall time fitted to fixed + marginal cost.
#include <gtest/gtest.h>

#include <sstream>

#include "harness/report/statistics.hpp"
#include "harness/report/table.hpp"
#include "tests/support/records.hpp"

using namespace billion;
using testkit::sample_record;

TEST(Statistics, RepeatsAreSummarisedByTheirMedianAndSpread) {
    std::vector<harness::RunRecord> runs;
    for (double wall : {9.0, 0.4, 0.5, 0.6}) {
        auto r = sample_record();
        r.wall_s = wall;
        r.warmup = wall == 9.0;  // the warm-up does not count
        runs.push_back(r);
    }
    auto rows = harness::summarize(runs);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].runs.size(), 3u);
    EXPECT_DOUBLE_EQ(rows[0].median->wall_s, 0.5);
    EXPECT_DOUBLE_EQ(rows[0].wall_min, 0.4);
    EXPECT_DOUBLE_EQ(rows[0].wall_max, 0.6);
    EXPECT_NEAR(rows[0].wall_cv, 0.2, 1e-9);  // sample standard deviation 0.1 over mean 0.5
    std::ostringstream out;
    harness::print_table(out, rows, /*markdown=*/true);
    EXPECT_NE(out.str().find("| approach "), std::string::npos);
    // Three runs: their range holds the median 75 % of the time (statistics.hpp), and says so.
    EXPECT_NE(out.str().find("400.0-600.0 us, 3 runs (75 %)"), std::string::npos) << out.str();
}

TEST(Statistics, TheMediansIntervalIsPickedByRankForAtLeastNinetyPercent) {
    auto i = harness::median_interval({5, 1, 4, 2, 3});  // five runs: smallest to largest, 93.75 %
    EXPECT_DOUBLE_EQ(i.lo, 1);
    EXPECT_DOUBLE_EQ(i.hi, 5);
    EXPECT_NEAR(i.confidence, 0.9375, 1e-12);
    // Ten runs: the second smallest to the second largest (97.9 %); the third would be 89 %.
    i = harness::median_interval({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
    EXPECT_DOUBLE_EQ(i.lo, 2);
    EXPECT_DOUBLE_EQ(i.hi, 9);
    EXPECT_NEAR(i.confidence, 1 - 2 * 11.0 / 1024, 1e-12);
    EXPECT_NEAR(harness::median_interval({1, 2}).confidence, 0.5, 1e-12);
    EXPECT_EQ(harness::median_interval({1}).confidence, 0);  // one run: no interval
}

TEST(Statistics, RowsRankOnlyWhenTheirIntervalsDoNotOverlap) {
    // Per-file times of five runs each: async and combo overlap, sync lies wholly above both.
    const std::vector<std::pair<const char*, std::vector<double>>> rows = {{"sync", {0.60, 0.62, 0.65, 0.61, 0.63}},
                                                                           {"async", {0.20, 0.25, 0.22, 0.21, 0.23}},
                                                                           {"combo", {0.24, 0.26, 0.30, 0.27, 0.28}}};
    std::vector<harness::RunRecord> runs;
    for (const auto& [name, walls] : rows)
        for (double wall : walls) {
            auto r = sample_record();
            r.strategy = name;
            r.wall_s = wall;
            runs.push_back(r);
        }
    auto summary = harness::summarize(runs);
    ASSERT_EQ(summary.size(), 3u);
    EXPECT_EQ(summary[0].rank, 3);
    EXPECT_EQ(summary[1].rank, 1);
    EXPECT_EQ(summary[2].rank, 1);
    EXPECT_TRUE(harness::tied(summary, summary[1]));
    EXPECT_FALSE(harness::tied(summary, summary[0]));
    std::ostringstream out;
    harness::print_table(out, summary);
    EXPECT_NE(out.str().find("ranked: 1. async = combo, then 3. sync"), std::string::npos) << out.str();
    // A row of one run has no interval: it is not ranked.
    runs.resize(11);
    summary = harness::summarize(runs);
    EXPECT_EQ(summary[2].rank, 0);
}

TEST(Statistics, SizesAreFittedToFixedPlusMarginalCost) {
    std::vector<harness::RunRecord> runs;
    for (std::uint64_t n : {1000, 2000, 4000}) {
        auto r = sample_record();
        r.result.stats.files = n;
        r.wall_s = 0.25 + 1e-4 * static_cast<double>(n);  // 250 ms start-up, 100 us a file
        runs.push_back(r);
    }
    auto fits = harness::fit_sizes(runs);
    ASSERT_EQ(fits.size(), 1u);
    EXPECT_NEAR(fits[0].fixed_s, 0.25, 1e-9);
    EXPECT_NEAR(fits[0].marginal_s, 1e-4, 1e-12);
    EXPECT_NEAR(fits[0].r2, 1.0, 1e-9);
    EXPECT_NEAR(fits[0].projected_1e9_s(), 0.25 + 1e5, 1e-3);
    runs.resize(1);
    EXPECT_TRUE(harness::fit_sizes(runs).empty());  // one size: nothing to fit
}

TEST(Statistics, AFitNeverMixesSettingsOrUsesACappedRun) {
    std::vector<harness::RunRecord> runs;
    for (const char* label : {"latency=0", "latency=1ms"})
        for (std::uint64_t n : {1000, 2000}) {
            auto r = sample_record();
            r.label = label;
            r.result.stats.files = n;
            const double per_file = std::string(label) == "latency=0" ? 1e-5 : 1e-3;
            r.wall_s = 0.1 + per_file * static_cast<double>(n);
            runs.push_back(r);
        }
    auto capped = runs.back();  // --max-time: its wall time is the cap, not the work
    capped.result.stats.files = 500;
    capped.result.stats.capped = true;
    runs.push_back(capped);
    auto fits = harness::fit_sizes(runs);
    ASSERT_EQ(fits.size(), 2u);
    EXPECT_EQ(fits[0].label, "latency=0");
    EXPECT_NEAR(fits[0].marginal_s, 1e-5, 1e-12);
    EXPECT_EQ(fits[1].label, "latency=1ms");
    EXPECT_NEAR(fits[1].marginal_s, 1e-3, 1e-12);
    EXPECT_EQ(fits[1].points, 2u);
}
