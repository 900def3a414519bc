// The sinks: sharded whole files, no partial file, no overwrite.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "client/sink.hpp"
#include "client/sqlite_sink.hpp"
#include "client/stored.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion::client;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}
}  // namespace

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

namespace {
std::string file_name(int i) {
    std::string name = std::to_string(i);
    name.insert(0, 1, 'f');  // not "f" + ...: GCC 12 warns (-Wrestrict) on that wrongly
    return name;
}
}  // namespace

TEST(Sink, SqliteSinkStoresEachFileAsARowAndReadsItBack) {
    billion::testkit::TempDir temp("sink-sqlite");
    const auto& dir = temp.path();
    WorkerStats s;
    {
        auto first = open_sink({SinkConfig::Kind::sqlite, dir});
        auto second = open_sink({SinkConfig::Kind::sqlite, dir});  // another writer: its own database
        for (int i = 0; i < 25000; ++i)                            // more than one transaction
            (i % 2 ? first : second)->write(file_name(i), std::string(100, static_cast<char>('a' + i % 26)), s);
        first->write("f1", "again", s);  // a name stored twice is an error, and the first is kept
    }
    EXPECT_EQ(s.files, 25000u);
    EXPECT_EQ(s.failures[static_cast<int>(Stage::write)], 1u);
    EXPECT_NE(std::string(s.first_error).find("already written"), std::string::npos) << s.first_error;
    EXPECT_EQ(sqlite_databases(dir).size(), 2u);

    SqliteReader reader(dir);
    EXPECT_TRUE(reader.has("f0"));
    EXPECT_TRUE(reader.has("f24999"));
    EXPECT_FALSE(reader.has("f25000"));
    Digest back;
    std::string error;
    ASSERT_TRUE(
        reader.for_each([&](std::string_view name, std::string_view data) { back.add_file(name, data); }, error))
        << error;
    EXPECT_EQ(back, s.received);  // every byte, every name, once
}

TEST(Sink, SqliteSinkKeepsWhatWasCommittedWhenItsWriterDies) {
    billion::testkit::TempDir temp("sink-sqlite-kill");
    const auto& dir = temp.path();
    const pid_t child = ::fork();
    if (child == 0) {
        auto sink = open_sink({SinkConfig::Kind::sqlite, dir});
        WorkerStats s;
        for (int i = 0; i < kSqliteCommitEvery + 500; ++i)
            sink->write(file_name(i), std::string(100, 'x'), s);
        ::_exit(0);  // killed, in effect: the open transaction is never committed
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    SqliteReader reader(dir);
    std::uint64_t rows = 0;
    std::string error;
    ASSERT_TRUE(reader.for_each([&](std::string_view, std::string_view) { ++rows; }, error)) << error;
    EXPECT_EQ(rows, static_cast<std::uint64_t>(kSqliteCommitEvery));  // the first transaction, whole
    EXPECT_TRUE(reader.has("f0"));
    EXPECT_FALSE(reader.has(file_name(kSqliteCommitEvery)));
}

TEST(Sink, SqliteSinkInAMissingDirectoryIsAClearError) {
    EXPECT_THROW(open_sink({SinkConfig::Kind::sqlite, "/nonexistent/billion"}), std::runtime_error);
}

// A killed run can leave a short file under its final name (the sink writes there directly):
// it never counts as stored, and a resuming sink replaces it; a whole file is never replaced.
TEST(Sink, AShortFileFromAKilledRunIsNotStoredAndIsReplacedOnResume) {
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
