// Files against sqlite where a files run writes, measured before it: the same 2,000 files
// through each sink in a scratch directory beside the run's (removed after). When a file costs
// several times a row there (a slow disk: docs/decisions.md), the run says so once, with both
// figures.
#pragma once

#include <filesystem>
#include <string>

#include "harness/common/expected.hpp"

namespace billion::harness {

struct StorageProbe {
    std::filesystem::path where;
    std::uint64_t files = 0;  // stored through each sink
    double file_us = 0;       // files sink, a file (its shard directories included)
    double row_us = 0;        // sqlite sink, a row (opening and the last commit included)
};

// Stores `files` files through each sink in a new directory inside dir, then removes it.
Expected<StorageProbe> probe_storage(const std::filesystem::path& dir, std::uint64_t files = 2000);

// A file at least this many times a row's cost: the run suggests --sink sqlite.
inline constexpr double kSqliteAdviceRatio = 3.0;
// "storage: in DIR a file took X us to store, a sqlite row Y us (Z x, ...): ..." when the files
// sink is kSqliteAdviceRatio times slower or more; otherwise empty.
std::string sqlite_advice(const StorageProbe& probe);

}  // namespace billion::harness
