// The null and files sinks: sharded whole files, the shard fan-out, no overwrite.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "client/sinks/sink.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion::client;
namespace fs = std::filesystem;

using billion::testkit::slurp;

TEST(Sink, NullSinkCountsAndFingerprints) {
    auto sink = open_sink({SinkConfig::Kind::null, {}});
    WorkerStats s;
    sink->write("a", "hello", s);
    EXPECT_EQ(s.files, 1u);
    EXPECT_EQ(s.bytes, 5u);
    Digest d;
    d.add_file("a", "hello");
    EXPECT_EQ(s.received, d);
}

TEST(Sink, FilesSinkWritesWholeFilesIntoShards) {
    billion::testkit::TempDir temp("sink-files");
    const auto& dir = temp.path();
    auto sink = open_sink({SinkConfig::Kind::files, dir});
    WorkerStats s;
    for (int i = 0; i < 200; ++i)
        sink->write(std::to_string(i) + ".f", std::string(100, 'x'), s);
    EXPECT_EQ(s.files, 200u);
    EXPECT_EQ(shard_of("7.f", 3).size(), 3u);
    EXPECT_EQ(slurp(dir / shard_of("7.f", 3) / "7.f"), std::string(100, 'x'));
    std::size_t files = 0, leaves = 0;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file())
            ++files;
        else if (fs::relative(e.path(), dir).string().size() == 3)
            ++leaves;
    }
    EXPECT_EQ(files, 200u);  // nothing else: no temporary files left behind
    EXPECT_GT(leaves, 50u);  // spread over many directories
}

// One level of 16^w shard directories, w from the files expected: a small run gets few
// directories, and even 10^9 files stay under about 15,000 a directory.
TEST(Sink, ShardFanOutFitsTheRunFrom1kTo1e9Files) {
    EXPECT_EQ(shard_width_for(1000), 1u);        // 16 directories
    EXPECT_EQ(shard_width_for(100000), 1u);      // 16 of about 6,250
    EXPECT_EQ(shard_width_for(1000000), 2u);     // 256 of about 3,900
    EXPECT_EQ(shard_width_for(10000000), 3u);    // 4,096 of about 2,400
    EXPECT_EQ(shard_width_for(100000000), 4u);   // 65,536 of about 1,500
    EXPECT_EQ(shard_width_for(1000000000), 4u);  // 65,536 of about 15,300
    EXPECT_EQ(shard_width_for(0), 3u);           // unknown (--url)
    for (std::uint64_t files : {1000ull, 100000ull, 10000000ull, 1000000000ull}) {
        const double dirs = static_cast<double>(1u << (4 * shard_width_for(files)));
        EXPECT_LE(static_cast<double>(files) / dirs, 100000.0) << files;
    }
    // Spread evenly: 16 directories of 16,000 names each within 5 %.
    std::map<std::string, int> per_dir;
    for (int i = 0; i < 256000; ++i)
        ++per_dir[shard_of("file-" + std::to_string(i) + ".bin", 1)];
    ASSERT_EQ(per_dir.size(), 16u);
    for (const auto& [dir, n] : per_dir)
        EXPECT_NEAR(n, 16000, 800) << dir;
}

TEST(Sink, FilesSinkNeverOverwritesAnExistingFile) {
    billion::testkit::TempDir temp("sink-dup");
    const auto& dir = temp.path();
    auto sink = open_sink({SinkConfig::Kind::files, dir});
    WorkerStats s;
    sink->write("same", "first", s);
    sink->write("same", "second", s);
    EXPECT_EQ(s.files, 1u);
    EXPECT_EQ(s.failures[static_cast<int>(Stage::write)], 1u);
    EXPECT_EQ(slurp(dir / shard_of("same", 3) / "same"), "first");
}

TEST(Sink, MissingDirectoryIsAClearError) {
    EXPECT_THROW(open_sink({SinkConfig::Kind::files, "/nonexistent/billion"}), std::runtime_error);
}
