// Room for the files sink, checked before a run whose size is known (the embedded catalog):
// a file is an inode and at least one block, so a run that cannot fit is refused up front with
// the numbers, instead of failing deep into it; and what a billion files would need.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "harness/common/expected.hpp"

namespace billion::harness {

struct StorageNeed {
    std::uint64_t inodes = 0;
    std::uint64_t bytes = 0;  // every file rounded up to whole blocks
    std::uint64_t block = 0;  // the file system's block size used
};

// The nearest directory that exists at or above dir, made absolute: where creating dir would
// start, and whose file system it would be on.
std::filesystem::path existing_ancestor(std::filesystem::path dir);

// What `files` files of `file_size` bytes take in a files-sink tree on a file system of
// `block` bytes a block (its shard directories included).
StorageNeed files_sink_need(std::uint64_t files, std::uint64_t file_size, std::uint64_t block);

// Checks the file system of dir (or its nearest existing parent) for `files` files: when they
// do not fit, a one-line error with what is needed, what is free, and the way out.
Expected<void> check_files_room(const std::filesystem::path& dir, std::uint64_t files, std::uint64_t file_size);

// Files a files-sink run directory already holds (its shard directories' entries): a resume
// needs room only for the rest.
std::uint64_t files_stored_in(const std::filesystem::path& run_dir);

// What 10^9 files would need on dir's file system (its block size; 4 KiB when unknown).
StorageNeed billion_files_on(const std::filesystem::path& dir, std::uint64_t file_size);
// "a billion files through the files sink need N inodes and X TB on DIR (B-byte blocks); it has ..."
std::string billion_files_need(const std::filesystem::path& dir, std::uint64_t file_size);

}  // namespace billion::harness
