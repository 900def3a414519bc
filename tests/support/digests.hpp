// What a files-sink directory should hold, from the catalog rule: the digest of exactly the
// catalog files present on disk, with the bytes they must have. Equal to the disk's scan
// digest only when every file there is a catalog file and exact.
#pragma once

#include <filesystem>

#include "client/sink.hpp"
#include "client/stats.hpp"
#include "mock_server/catalog.hpp"

namespace billion::testkit {

inline client::Digest exact_digest_of_present(const mock::Catalog& catalog, const std::filesystem::path& dir) {
    client::Digest exact;
    for (std::uint64_t i = 0; i < catalog.files; ++i)
        if (std::filesystem::exists(dir / client::shard_of(catalog.name(i), client::SinkConfig{}.shard_width) /
                                    catalog.name(i)))
            exact.add_file(catalog.name(i), catalog.content(i));
    return exact;
}

}  // namespace billion::testkit
