// FNV-1a over 8-byte words, finished by fmix64 (see hash.hpp).
#include "client/hash.hpp"

#include <cstring>

namespace billion::client {

std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) {
    // FNV-1a over 8-byte words, finished with a strong mixer: fast for 100-byte files.
    std::uint64_t h = 0xcbf29ce484222325ull ^ mix64(seed + bytes.size());
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, bytes.data() + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
    }
    for (; i < bytes.size(); ++i)
        h = (h ^ static_cast<unsigned char>(bytes[i])) * 0x100000001b3ull;
    return mix64(h);
}

}  // namespace billion::client
