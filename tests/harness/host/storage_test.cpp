// The files sink's storage arithmetic: inodes are files plus shard directories, bytes are
// whole blocks; a run that fits passes the preflight, one that cannot is refused with the
// numbers and the way out.
#include <gtest/gtest.h>

#include "harness/host/storage.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion;

TEST(Storage, AFileIsAnInodeAndWholeBlocks) {
    auto small = harness::files_sink_need(1000, 100, 4096);
    EXPECT_EQ(small.inodes, 1000u + 16u);  // 16 shard directories at 1k files
    EXPECT_EQ(small.bytes, (1000u + 16u) * 4096u);
    auto billion = harness::files_sink_need(1'000'000'000, 100, 4096);
    EXPECT_EQ(billion.inodes, 1'000'065'536u);
    EXPECT_EQ(billion.bytes, 1'000'065'536ull * 4096);
    // A file larger than a block takes two.
    EXPECT_EQ(harness::files_sink_need(10, 5000, 4096).bytes, (10u * 2 + 16) * 4096u);
}

TEST(Storage, ThePreflightPassesWhatFitsAndRefusesWhatCannot) {
    billion::testkit::TempDir dir("storage");
    EXPECT_TRUE(harness::check_files_room(dir.path() / "not-yet", 1000, 100));  // its parent is checked
    const auto refused = harness::check_files_room(dir.path(), 1'000'000'000'000ull, 100);
    ASSERT_FALSE(refused);
    const std::string refusal = refused.error();
    EXPECT_NE(refusal.find("do not fit"), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("inodes"), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("--sink sqlite"), std::string::npos) << refusal;
}
