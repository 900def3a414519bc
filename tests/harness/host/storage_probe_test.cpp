// The storage probe of a files run: both sinks timed in a scratch directory that is gone
// afterwards; the advice appears only when a file costs several times a row, with both figures;
// a directory the sinks cannot write is an error, not a verdict.
#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

#include "harness/host/storage_probe.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion;
namespace fs = std::filesystem;

TEST(StorageProbe, TimesBothSinksAndLeavesNothingBehind) {
    billion::testkit::TempDir dir("probe");
    auto probe = harness::probe_storage(dir.path(), 200);
    ASSERT_TRUE(probe) << probe.error();
    EXPECT_EQ(probe.value().files, 200u);
    EXPECT_GT(probe.value().file_us, 0);
    EXPECT_GT(probe.value().row_us, 0);
    EXPECT_TRUE(fs::is_empty(dir.path()));  // a --out directory stays as the user gave it
}

TEST(StorageProbe, AdvisesSqliteOnlyWhenAFileCostsSeveralRows) {
    harness::StorageProbe p{"/data/out", 2000, 41.2, 4.8};
    const std::string advice = harness::sqlite_advice(p);
    EXPECT_NE(advice.find("--sink sqlite"), std::string::npos) << advice;
    EXPECT_NE(advice.find("41.2 us"), std::string::npos) << advice;
    EXPECT_NE(advice.find("4.8 us"), std::string::npos) << advice;
    EXPECT_NE(advice.find("8.6x"), std::string::npos) << advice;
    EXPECT_NE(advice.find("/data/out"), std::string::npos) << advice;
    p.file_us = 14.3;  // under 3x a row: nothing to say
    EXPECT_EQ(harness::sqlite_advice(p), "");
    p.row_us = 0;  // not measured
    EXPECT_EQ(harness::sqlite_advice(p), "");
}

TEST(StorageProbe, APlaceThatCannotHoldFilesIsAnError) {
    billion::testkit::TempDir dir("probe-file");
    const fs::path not_a_dir = dir.path() / "a-file";
    { std::ofstream(not_a_dir) << "x"; }
    auto probe = harness::probe_storage(not_a_dir, 10);
    ASSERT_FALSE(probe);
    EXPECT_NE(probe.error().find("a-file"), std::string::npos) << probe.error();
}
