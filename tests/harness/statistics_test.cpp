// Repeats summarised by their median and spread; wall time fitted to fixed + marginal cost.
#include <gtest/gtest.h>

#include <sstream>

#include "harness/statistics.hpp"
#include "harness/table.hpp"
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
    EXPECT_NE(out.str().find("20.0 % of 3"), std::string::npos) << out.str();
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
