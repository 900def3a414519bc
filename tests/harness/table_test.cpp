// The table prints one row per run in the talk's form, plain or Markdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "harness/statistics.hpp"
#include "harness/table.hpp"
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
    EXPECT_NE(t.find("500.0 us"), std::string::npos);  // per request
    EXPECT_NE(t.find("5.8 days"), std::string::npos);  // 0.5 ms x 10^9
    EXPECT_NE(t.find("NO: bytes match the catalog rule"), std::string::npos);
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 3);
}
