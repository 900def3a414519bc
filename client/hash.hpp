// A fast 64-bit hash of short byte strings (file names, 100-byte files) and its finalizer:
// the digests, shard directories and token-loop checks are built on it.
#pragma once

#include <cstdint>
#include <string_view>

namespace billion::client {

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = 0);
// A strong 64-bit finalizer (MurmurHash3's fmix64): spreads every input bit over the output.
std::uint64_t mix64(std::uint64_t x);

}  // namespace billion::client
