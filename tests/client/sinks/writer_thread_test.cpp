// The writer thread behind an event loop's files sink: every file handed over is stored and
// counted by close(), failures included; the null and sqlite sinks stay inline.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "client/sinks/sqlite_sink.hpp"
#include "client/sinks/writer_thread.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion::client;
namespace fs = std::filesystem;

using billion::testkit::slurp;

namespace {
std::string file_name(int i) {
    std::string name = std::to_string(i);
    name.append(".f");
    return name;
}
}  // namespace

// More files than the queue holds (8 batches of 64), and a last batch that is not full.
TEST(WriterThreadSink, StoresAndCountsEveryFileHandedOverByClose) {
    billion::testkit::TempDir temp("writer-files");
    WorkerStats loop, inline_stats;
    auto sink = open_writer_sink_counted({SinkConfig::Kind::files, temp.path()}, loop);
    ASSERT_TRUE(sink);
    for (int i = 0; i < 1001; ++i) {
        const std::string bytes(100, static_cast<char>('a' + i % 26));
        sink->write(file_name(i), bytes, loop);
        inline_stats.received.add_file(file_name(i), bytes);
    }
    EXPECT_EQ(loop.files, 0u);  // counted by the writer, not yet the loop's
    sink->close(loop);
    EXPECT_EQ(loop.files, 1001u);
    EXPECT_EQ(loop.bytes, 100'100u);
    EXPECT_EQ(loop.received, inline_stats.received);  // what verification compares
    EXPECT_EQ(loop.failed(), 0u);
    EXPECT_EQ(slurp(temp.path() / shard_of("1000.f", 3) / "1000.f"), std::string(100, 'a' + 1000 % 26));
    std::size_t files = 0;
    for (auto& e : fs::recursive_directory_iterator(temp.path()))
        files += e.is_regular_file();
    EXPECT_EQ(files, 1001u);
    sink->close(loop);  // a second close counts nothing twice
    EXPECT_EQ(loop.files, 1001u);
}

// Large files cross in batches of 1 MiB, not 64 files (memory stays bounded): all stored.
TEST(WriterThreadSink, LargeFilesAreStoredWhole) {
    billion::testkit::TempDir temp("writer-large");
    WorkerStats loop;
    auto sink = open_writer_sink_counted({SinkConfig::Kind::files, temp.path()}, loop);
    const std::string big(300'000, 'z');
    for (int i = 0; i < 40; ++i)
        sink->write(file_name(i), big, loop);
    sink->close(loop);
    EXPECT_EQ(loop.files, 40u);
    EXPECT_EQ(loop.bytes, 40u * 300'000u);
    EXPECT_EQ(slurp(temp.path() / shard_of("39.f", 3) / "39.f"), big);
}

TEST(WriterThreadSink, AWriteFailureIsCountedWithItsMessage) {
    billion::testkit::TempDir temp("writer-fail");
    WorkerStats loop;
    auto sink = open_writer_sink_counted({SinkConfig::Kind::files, temp.path()}, loop);
    sink->write("a.f", "one", loop);
    sink->write("a.f", "two", loop);  // the same name: refused, the first kept
    sink->close(loop);
    EXPECT_EQ(loop.files, 1u);
    EXPECT_EQ(loop.failures[static_cast<int>(Stage::write)], 1u);
    EXPECT_NE(std::string(loop.first_error).find("already written"), std::string::npos) << loop.first_error;
    EXPECT_EQ(slurp(temp.path() / shard_of("a.f", 3) / "a.f"), "one");
}

// Behind a writer thread (billion_sink_bench measures sqlite so), the sqlite sink's rows are
// committed by close() and readable by the checkpoint's reader.
TEST(WriterThreadSink, SqliteRowsBehindItAreCommittedByClose) {
    billion::testkit::TempDir temp("writer-sqlite");
    WorkerStats loop;
    auto sink = behind_writer_thread(open_sink({SinkConfig::Kind::sqlite, temp.path()}));
    for (int i = 0; i < 300; ++i)
        sink->write(file_name(i), std::string(100, 'x'), loop);
    EXPECT_EQ(loop.files, 0u);
    sink->close(loop);
    EXPECT_EQ(loop.files, 300u);
    SqliteReader reader(temp.path());
    EXPECT_TRUE(reader.has(file_name(299)));
    EXPECT_TRUE(reader.has(file_name(0)));
}

// A row costs the loop too little for a thread between (writer_thread.hpp): null and sqlite
// count each file at once.
TEST(WriterThreadSink, AnEventLoopsNullAndSqliteSinksStayInline) {
    billion::testkit::TempDir temp("writer-inline");
    WorkerStats loop;
    auto null_sink = open_writer_sink_counted({SinkConfig::Kind::null, {}}, loop);
    null_sink->write("a", "hello", loop);
    EXPECT_EQ(loop.files, 1u);
    auto sqlite = open_writer_sink_counted({SinkConfig::Kind::sqlite, temp.path()}, loop);
    sqlite->write("b", "hello", loop);
    EXPECT_EQ(loop.files, 2u);
}

TEST(WriterThreadSink, AnUnusableDirectoryIsCountedAndGivesNoSink) {
    WorkerStats loop;
    auto sink = open_writer_sink_counted({SinkConfig::Kind::files, "/nonexistent/billion-writer"}, loop);
    EXPECT_FALSE(sink);
    EXPECT_TRUE(loop.fatal);
    EXPECT_EQ(loop.failures[static_cast<int>(Stage::write)], 1u);
}
