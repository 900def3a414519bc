// What a sink already holds, for --resume and the checkpoint: a files sink's file counts only
// at its full size; a resuming files sink replaces a short one and never a whole one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client/sinks/sink.hpp"
#include "client/sinks/sqlite_sink.hpp"
#include "client/sinks/stored.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion::client;
namespace fs = std::filesystem;

using billion::testkit::slurp;

// A killed run can leave a short file under its final name (the sink writes there directly):
// it never counts as stored, and a resuming sink replaces it; a whole file is never replaced.
TEST(Stored, AShortFileFromAKilledRunIsNotStoredAndIsReplacedOnResume) {
    billion::testkit::TempDir temp("sink-partial");
    const auto& dir = temp.path();
    const std::string whole(100, 'w');
    fs::create_directories(dir / shard_of("cut", 3));
    { std::ofstream(dir / shard_of("cut", 3) / "cut") << "short"; }
    fs::create_directories(dir / shard_of("done", 3));
    { std::ofstream(dir / shard_of("done", 3) / "done") << whole; }

    SinkConfig config{SinkConfig::Kind::files, dir};
    config.file_size = 100;
    StoredIndex stored(config);
    EXPECT_FALSE(stored.has("cut"));
    EXPECT_TRUE(stored.has("done"));

    WorkerStats fresh;
    open_sink(config)->write("cut", whole, fresh);  // not resuming: any existing name is a duplicate
    EXPECT_EQ(fresh.files, 0u);
    EXPECT_EQ(slurp(dir / shard_of("cut", 3) / "cut"), "short");

    config.repair_partial = true;
    WorkerStats resumed;
    auto sink = open_sink(config);
    sink->write("cut", whole, resumed);
    sink->write("done", std::string(100, 'x'), resumed);
    EXPECT_EQ(resumed.files, 1u);
    EXPECT_EQ(slurp(dir / shard_of("cut", 3) / "cut"), whole);
    EXPECT_EQ(slurp(dir / shard_of("done", 3) / "done"), whole) << "a whole file is never overwritten";
    EXPECT_EQ(resumed.failures[static_cast<int>(Stage::write)], 1u);
}

TEST(Stored, ASqliteSinkHoldsWhatItCommitted) {
    billion::testkit::TempDir temp("stored-sqlite");
    SinkConfig config{SinkConfig::Kind::sqlite, temp.path()};
    {
        WorkerStats s;
        open_sink(config)->write("kept", std::string(100, 'k'), s);
    }
    StoredIndex stored(config);
    EXPECT_TRUE(stored.has("kept"));
    EXPECT_FALSE(stored.has("never"));
    EXPECT_FALSE(StoredIndex({SinkConfig::Kind::null, {}}).has("kept"));  // the null sink holds nothing
}
