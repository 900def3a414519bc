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
