// Checkpoints: written whole and read back, the files sink's shard layout with them (a resumed
// run must look for files where the first one put them); an older file without it still loads.
#include <gtest/gtest.h>

#include <fstream>

#include "harness/run/checkpoint.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion;

TEST(Checkpoint, RoundTripsWithTheShardLayout) {
    testkit::TempDir dir("checkpoint");
    const auto run = dir.path() / "async";
    ASSERT_TRUE(harness::save_checkpoint(run, {"async", "http://127.0.0.1:1", "a0.ff", 4000, 2}));
    auto c = harness::load_checkpoint(run);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c.value().token, "a0.ff");
    EXPECT_EQ(c.value().files_before, 4000u);
    EXPECT_EQ(c.value().shard_width, 2u);

    std::ofstream(harness::checkpoint_path(run))
        << R"({"strategy": "async", "server": "x", "token": "", "files_before": 0})";
    auto old = harness::load_checkpoint(run);
    ASSERT_TRUE(old) << old.error();
    EXPECT_EQ(old.value().shard_width, 0u);  // not recorded: the run's own width is used

    std::ofstream(harness::checkpoint_path(run)) << "{not json";
    auto bad = harness::load_checkpoint(run);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("damaged"), std::string::npos) << bad.error();
}

// A resume is the same run or refused, in one line naming the difference; an older
// checkpoint that recorded neither the list nor the sink is not refused for them.
TEST(Checkpoint, AResumeIsTheSameRunOrRefusedNamingTheDifference) {
    const harness::Checkpoint now{"async", "http://127.0.0.1:1", "", 0, 2, "files", "00ff"};
    EXPECT_TRUE(harness::same_run(now, now));
    auto other = [&](auto change) {
        auto c = now;
        change(c);
        auto r = harness::same_run(c, now);
        return r ? std::string("accepted") : r.error();
    };
    EXPECT_NE(other([](auto& c) { c.urls = "1234"; }).find("the --urls list changed"), std::string::npos);
    EXPECT_NE(other([](auto& c) { c.sink = "sqlite"; }).find("--sink sqlite, not --sink files"), std::string::npos);
    EXPECT_NE(other([](auto& c) { c.server = "embedded:files=10"; }).find("is for embedded:files=10"),
              std::string::npos);
    EXPECT_EQ(other([](auto& c) { c.urls.clear(), c.sink.clear(); }), "accepted");
}
