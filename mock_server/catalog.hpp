// The deterministic catalog: file names, file contents and page tokens of the mock server.
//
// Rules (also used by the verifier, so a run can be checked byte for byte without a manifest):
//   name(i)     = "file-" + i in 10 decimal digits + ".bin"          (i = 0 .. files-1)
//   content(i)  = bytes of the 64-bit words w_k = splitmix64(seed ^ (i * 0x9E3779B97F4A7C15) + k),
//                 k = 0, 1, ..., little-endian, cut to file_size bytes
//   page p      = names [p * page_size, min(files, (p + 1) * page_size))
//   token(off)  = hex(off) + "." + hex(keyed_hash(off, files, page_size, seed))
//   key_token(i) = "k" + hex(i) + "." + hex(keyed_hash(i + files, files, 0, seed)) (S3's listing)
// A token is only accepted if its tag matches, so a forged or edited token is refused (400).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace billion::mock {

struct Catalog {
    std::uint64_t files = 0;
    std::uint32_t page_size = 1000;
    std::uint32_t file_size = 100;
    std::uint64_t seed = 42;

    std::string name(std::uint64_t index) const;
    // The index of a catalog name, or nothing if the name is not of this catalog.
    std::optional<std::uint64_t> index_of(std::string_view name) const;
    // Writes content(index) into out (out.size() must be file_size).
    void fill(std::uint64_t index, std::span<char> out) const;
    std::string content(std::uint64_t index) const;

    std::string token(std::uint64_t offset) const;
    // The page offset a token points at, or nothing if it is not a token of this catalog.
    std::optional<std::uint64_t> decode(std::string_view token) const;
    // The bucket's continuation token of the listing from file index on (S3 pages are as long
    // as the client asks), made and checked as a page token is; index in (0, files).
    std::string key_token(std::uint64_t index) const;
    std::optional<std::uint64_t> decode_key_token(std::string_view token) const;
};

std::uint64_t splitmix64(std::uint64_t x);

}  // namespace billion::mock
