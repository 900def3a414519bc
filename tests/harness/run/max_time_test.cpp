// --max-time: every strategy stops listing at the cap, finishes the pages it listed, and its
// row is a verified prefix of the catalog marked "capped"; --resume then completes the run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/digests.hpp"
#include "tests/support/jobs.hpp"

namespace fs = std::filesystem;
using billion::testkit::Billion;

namespace {

class Capped : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(Capped, IsAVerifiedPrefixAndResumable) {
    const std::string strategy = GetParam();
    billion::testkit::TempDir dir("maxtime-" + strategy);
    const std::string out = (dir.path() / "out").string(), json = (dir.path() / "run.json").string();
    const std::vector<std::string> common = {"compare", "--strategies", strategy, "--files",       "4k", "--page-size",
                                             "100",     "--sink",       "files",  "--out",         out,  "--processes",
                                             "2",       "--workers",    "4",      "--concurrency", "4"};
    // 4,000 files at 2 ms, 4 in flight at most, take about 2 s or more: a 300 ms cap cuts it.
    auto capped = common;
    for (const char* a : {"--latency", "2ms", "--max-time", "300ms", "--json"})
        capped.push_back(a);
    capped.push_back(json);
    Billion b(capped);
    ASSERT_EQ(b.finish(), 0) << b.err();
    EXPECT_NE(b.out().find("yes, capped"), std::string::npos) << b.out();

    auto run = nlohmann::json::parse(std::ifstream(json))["runs"][0];
    EXPECT_TRUE(run["capped"].get<bool>());
    EXPECT_TRUE(run["verification"]["ok"].get<bool>()) << run["verification"].dump();
    const auto files = run["files"].get<std::uint64_t>();
    EXPECT_GT(files, 0u);
    EXPECT_LT(files, 4000u);
    EXPECT_EQ(files % 100, 0u) << "whole pages only";
    EXPECT_EQ(billion::testkit::files_under(out + "/" + strategy), files);
    EXPECT_TRUE(fs::exists(out + "/" + strategy + ".checkpoint.json"));

    auto resume = common;
    resume.push_back("--resume");
    Billion r(resume);
    EXPECT_EQ(r.finish(), 0) << r.err();
    EXPECT_EQ(billion::testkit::files_under(out + "/" + strategy), 4000u);
    EXPECT_FALSE(fs::exists(out + "/" + strategy + ".checkpoint.json"));
}

INSTANTIATE_TEST_SUITE_P(EveryStrategy, Capped, ::testing::ValuesIn(billion::testkit::strategy_names()),
                         [](const auto& info) { return info.param; });

TEST(Capped, IsRefusedWithPeers) {
    Billion b({"compare", "--strategies", "sync", "--files", "100", "--max-time", "1s", "--peers", "curl"});
    EXPECT_EQ(b.finish(), 2);
    EXPECT_NE(b.err().find("--max-time"), std::string::npos) << b.err();
}
