// The results JSON keeps the shape pinned in golden/results_shape.json (results/SCHEMA.md),
// and the table prints one row per run in the talk's form.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/report.hpp"

using namespace billion;
using json = nlohmann::json;

namespace {
// Every key with the type of its value; arrays by the shape of their first element.
json shape(const json& j) {
    if (j.is_object()) {
        json s = json::object();
        for (auto& [k, v] : j.items()) s[k] = shape(v);
        return s;
    }
    if (j.is_array()) return j.empty() ? json::array() : json::array({shape(j[0])});
    if (j.is_number()) return "number";
    return j.type_name();
}

harness::RunRecord sample() {
    harness::RunRecord r;
    r.strategy = "sync";
    r.model = "one thread";
    r.result.stats.files = 1000;
    r.result.stats.latency.record(50000);
    r.wall_s = 0.5;
    r.server_cpu_s = 0.1;
    r.server = harness::ServerCounts{1000, 1, 1000, 1};
    r.verification.add("each listed file received once", true, "listed 1000, received 1000");
    return r;
}
}  // namespace

TEST(Report, JsonShapeMatchesTheGolden) {
    auto j = harness::results_json(json{{"strategies", {"sync"}}}, {sample()});
    std::ifstream f(std::string(BILLION_GOLDEN) + "/results_shape.json");
    ASSERT_TRUE(f) << "golden file missing";
    json golden = json::parse(f);
    EXPECT_EQ(shape(j), golden) << "new shape:\n" << shape(j).dump(2);
    EXPECT_EQ(j["schema"], harness::kSchema);
}

TEST(Report, ProjectionIsPerRequestTimesABillion) {
    auto j = harness::run_json(sample());
    EXPECT_DOUBLE_EQ(j["per_request_ms"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(j["projected_1e9"]["seconds"].get<double>(), 0.5e6);
    EXPECT_DOUBLE_EQ(j["projected_1e9"]["days"].get<double>(), 0.5e6 / 86400);
    EXPECT_EQ(j["latency_us"]["load"], "closed-loop");
}

TEST(Report, TableHasOneRowPerRun) {
    std::ostringstream out;
    auto bad = sample();
    bad.strategy = "async";
    bad.verification.add("bytes match the catalog rule", false, "file contents differ");
    std::vector<harness::RunRecord> runs = {sample(), bad};
    harness::print_table(out, harness::summarize(runs));
    std::string t = out.str();
    EXPECT_NE(t.find("approach"), std::string::npos);
    EXPECT_NE(t.find("500.0 us"), std::string::npos);  // per request
    EXPECT_NE(t.find("5.8 days"), std::string::npos);  // 0.5 ms x 10^9
    EXPECT_NE(t.find("NO: bytes match the catalog rule"), std::string::npos);
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 3);
}

TEST(Report, RepeatsAreSummarisedByTheirMedianAndSpread) {
    std::vector<harness::RunRecord> runs;
    for (double wall : {9.0, 0.4, 0.5, 0.6}) {
        auto r = sample();
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

TEST(Report, SizesAreFittedToFixedPlusMarginalCost) {
    std::vector<harness::RunRecord> runs;
    for (std::uint64_t n : {1000, 2000, 4000}) {
        auto r = sample();
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
