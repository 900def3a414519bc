// `billion compare`'s own checks, in this process: combinations refused before anything runs.
#include "harness/commands/compare.hpp"

#include <gtest/gtest.h>

#include "harness/common/exit_codes.hpp"

using namespace billion::harness;

TEST(Compare, AMaxTimeIsRefusedWithPeers) {
    CompareSettings cs;
    cs.strategies = {"sync"};
    cs.sizes = {100};
    cs.run.max_time = std::chrono::seconds(1);
    cs.peers = {"curl"};
    testing::internal::CaptureStderr();
    EXPECT_EQ(run_compare(cs), kExitUsage);
    const auto err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("--max-time"), std::string::npos) << err;
    EXPECT_EQ(err.find("running"), std::string::npos) << err;
}

TEST(Compare, AnUnknownPeerIsRefusedWithTheKnownOnes) {
    CompareSettings cs;
    cs.strategies = {"sync"};
    cs.sizes = {10};
    cs.peers = {"wget"};
    testing::internal::CaptureStderr();
    EXPECT_EQ(run_compare(cs), kExitUsage);
    const auto err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("unknown peer 'wget' (known: aria2c, curl"), std::string::npos) << err;
}
