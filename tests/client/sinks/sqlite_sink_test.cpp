// The sqlite sink: a row per file, one database per writer, a duplicate refused, every row
// read back, and what a killed writer had committed kept whole.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/sinks/sink.hpp"
#include "client/sinks/sqlite_sink.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion::client;
namespace fs = std::filesystem;

namespace {
std::string file_name(int i) {
    std::string name = std::to_string(i);
    name.insert(0, 1, 'f');  // not "f" + ...: GCC 12 warns (-Wrestrict) on that wrongly
    return name;
}
}  // namespace

TEST(SqliteSink, StoresEachFileAsARowAndReadsItBack) {
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
    auto read = reader.for_each([&](std::string_view name, std::string_view data) { back.add_file(name, data); });
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(back, s.received);  // every byte, every name, once
}

TEST(SqliteSink, KeepsWhatWasCommittedWhenItsWriterDies) {
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
    auto read = reader.for_each([&](std::string_view, std::string_view) { ++rows; });
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(rows, static_cast<std::uint64_t>(kSqliteCommitEvery));  // the first transaction, whole
    EXPECT_TRUE(reader.has("f0"));
    EXPECT_FALSE(reader.has(file_name(kSqliteCommitEvery)));
}

TEST(SqliteSink, AMissingDirectoryIsAClearError) {
    EXPECT_THROW(open_sink({SinkConfig::Kind::sqlite, "/nonexistent/billion"}), std::runtime_error);
}
