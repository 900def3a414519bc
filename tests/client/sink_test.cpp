// The sinks: sharded whole files, no partial file, no overwrite.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client/sink.hpp"
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
    EXPECT_EQ(shard_of("7.f").size(), 5u);
    EXPECT_EQ(slurp(dir / shard_of("7.f") / "7.f"), std::string(100, 'x'));
    std::size_t files = 0, leaves = 0;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file())
            ++files;
        else if (fs::relative(e.path(), dir).string().size() == 5)
            ++leaves;
    }
    EXPECT_EQ(files, 200u);  // nothing else: no temporary files left behind
    EXPECT_GT(leaves, 50u);  // spread over many directories
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
    EXPECT_EQ(slurp(dir / shard_of("same") / "same"), "first");
}

TEST(Sink, MissingDirectoryIsAClearError) {
    EXPECT_THROW(open_sink({SinkConfig::Kind::files, "/nonexistent/billion"}), std::runtime_error);
}
