// What a run's output holds: how many files it stored, and (files sink) the digest of exactly
// the catalog files present on disk, with the bytes they must have, from the catalog rule:
// equal to the disk's scan digest only when every file there is a catalog file and exact.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "client/sinks/sink.hpp"
#include "client/sinks/sqlite_sink.hpp"
#include "client/stats.hpp"
#include "mock_server/catalog.hpp"

namespace billion::testkit {

// Files a run stored: files under a files sink's tree, rows of a sqlite sink's databases.
inline std::size_t files_under(const std::filesystem::path& dir, const std::string& sink = "files") {
    std::size_t n = 0;
    if (sink == "sqlite") {
        client::SqliteReader reader(dir);
        auto read = reader.for_each([&](std::string_view, std::string_view) { ++n; });
        EXPECT_TRUE(read) << read.error();
        return n;
    }
    for (auto& e : std::filesystem::recursive_directory_iterator(dir))
        n += e.is_regular_file();
    return n;
}

inline client::Digest exact_digest_of_present(const mock::Catalog& catalog, const std::filesystem::path& dir) {
    client::Digest exact;
    for (std::uint64_t i = 0; i < catalog.files; ++i)
        if (std::filesystem::exists(dir / client::shard_of(catalog.name(i), client::SinkConfig{}.shard_width) /
                                    catalog.name(i)))
            exact.add_file(catalog.name(i), catalog.content(i));
    return exact;
}

}  // namespace billion::testkit
