// The table prints one row per run in the talk's form, plain or Markdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "harness/report/statistics.hpp"
#include "harness/report/table.hpp"
#include "tests/support/records.hpp"

using namespace billion;
using testkit::sample_record;

TEST(Table, TableHasOneRowPerRun) {
    std::ostringstream out;
    auto bad = sample_record();
    bad.strategy = "async";
    bad.verification.add("bytes match the catalog rule", false, "file contents differ");
    std::vector<harness::RunRecord> runs = {sample_record(), bad};
    harness::print_table(out, harness::summarize(runs));
    std::string t = out.str();
    EXPECT_NE(t.find("approach"), std::string::npos);
    EXPECT_NE(t.find("500.0 us *"), std::string::npos);  // per file: wall / files, not sampled
    EXPECT_NE(t.find("5.8 d"), std::string::npos);       // 0.5 ms x 10^9
    EXPECT_NE(t.find("NO: failed check 'bytes match the catalog rule'"), std::string::npos);
    // A header and two rows, then the notes under the table.
    EXPECT_EQ(t.find("\n\n"), t.find('\n', t.find('\n', t.find('\n') + 1) + 1)) << t;
    EXPECT_NE(t.find("* too short to sample a steady rate"), std::string::npos) << t;
}

TEST(Table, OneUnitPerColumnAndNumbersRightAligned) {
    // 20 hours and 12.4 days projected: both in days, not one in hours and one in days.
    auto fast = sample_record();
    fast.wall_s = 0.072;  // 72 us per file: 20 hours for 10^9
    auto slow = sample_record();
    slow.strategy = "threads";
    slow.wall_s = 1.07136;  // 1.07 ms per file: 12.4 days
    std::ostringstream out;
    harness::print_table(out, harness::summarize({fast, slow}));
    const std::string t = out.str();
    EXPECT_NE(t.find("0.83 d"), std::string::npos) << t;
    EXPECT_NE(t.find("12.40 d"), std::string::npos) << t;
    EXPECT_EQ(t.find("hours"), std::string::npos) << t;
    // The wall column in one unit (seconds here) and one precision (two significant digits
    // for the smallest) for both rows, not "72.0 ms" beside "1.07 s".
    EXPECT_NE(t.find("0.072 s"), std::string::npos) << t;
    EXPECT_NE(t.find("1.071 s"), std::string::npos) << t;
    // Numbers end at the same column: "1,000" right-aligned under "files".
    std::istringstream lines(t);
    std::string head, a, b;
    std::getline(lines, head);
    std::getline(lines, a);
    std::getline(lines, b);
    const auto end_of_files = head.find("files") + 5;
    EXPECT_EQ(a.substr(end_of_files - 5, 5), "1,000") << t;
    EXPECT_EQ(b.substr(end_of_files - 5, 5), "1,000") << t;
}

// Three runs with a steady state: wall, start-up and per file of a row all from its median run.
std::vector<harness::RunRecord> steady_runs(std::initializer_list<std::pair<double, double>> per_file_and_startup) {
    std::vector<harness::RunRecord> runs;
    for (auto [per_file, startup] : per_file_and_startup) {
        auto r = sample_record();
        r.steady = harness::Steady{per_file, startup, 20};
        r.wall_s = startup + 1000 * per_file;
        runs.push_back(r);
    }
    return runs;
}

TEST(Table, ARowsColumnsComeFromItsMedianRunAndAddUp) {
    // The median run (per file 10 us) has start-up 2 ms; the others' start-ups are not its.
    std::ostringstream out;
    harness::print_table(out, harness::summarize(steady_runs({{9e-6, 9e-3}, {10e-6, 2e-3}, {11e-6, 1e-3}})));
    const std::string t = out.str();
    EXPECT_NE(t.find("12.0 ms"), std::string::npos) << t;  // wall: 2 ms + 1,000 x 10 us
    EXPECT_NE(t.find("2.0 ms"), std::string::npos) << t;  // the median run's start-up, not the others'
    EXPECT_NE(t.find("10.0 us"), std::string::npos) << t;
    // Every column is defined under the table, a line each.
    for (const char* column : {"files:", "wall:", "start-up:", "per file:", "files/s:", "10^9 files (projected):"})
        EXPECT_NE(t.find("\n  " + std::string(column)), std::string::npos) << column << "\n" << t;
}

TEST(Table, AStartUpBelowZeroIsShownAsNoiseAroundZeroNeverAsANegative) {
    std::ostringstream out;
    harness::print_table(out, harness::summarize(steady_runs({{10e-6, -3e-3}})));
    const std::string t = out.str();
    EXPECT_EQ(t.find("-3"), std::string::npos) << t;
    EXPECT_NE(t.find("~0"), std::string::npos) << t;
    EXPECT_NE(t.find("~0: the fit put it below zero"), std::string::npos) << t;
}

TEST(Table, RowsWhoseRunsStoppedShortOfThePrecisionAskedAreMarked) {
    // Three runs 10 % apart: the interval is neither 90 % sure nor within +-5 %.
    const auto rows = harness::summarize(steady_runs({{9e-6, 1e-3}, {10e-6, 1e-3}, {11e-6, 1e-3}}));
    std::ostringstream asked, fixed;
    harness::print_table(asked, rows, false, 0.05);
    EXPECT_NE(asked.str().find("3 runs (75 %) !"), std::string::npos) << asked.str();
    EXPECT_NE(asked.str().find("!: the row's time budget or run cap ended its runs"), std::string::npos);
    // --repeat 3 asked for three runs: nothing stopped them short.
    harness::print_table(fixed, rows, false, 0);
    EXPECT_EQ(fixed.str().find(" !"), std::string::npos) << fixed.str();
}
