// Interruption and resume: where a files-sink run stopped, kept beside its output directory
// (OUT/STRATEGY.checkpoint.json), so `compare --resume` continues without downloading again
// what is already on disk.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "endpoint.hpp"
#include "retry.hpp"
#include "sink.hpp"

namespace billion::harness {

struct Checkpoint {
    std::string strategy;
    std::string server;  // what the files came from: the URL, or the embedded catalog's settings
    std::string token;   // the first page not known to be complete ("" = the first page)
    std::uint64_t files_on_disk = 0;
};

std::filesystem::path checkpoint_path(const std::filesystem::path& run_dir);
bool save_checkpoint(const std::filesystem::path& run_dir, const Checkpoint& c);
// The checkpoint of a run directory; nothing (and error set) when missing or unreadable.
std::optional<Checkpoint> load_checkpoint(const std::filesystem::path& run_dir, std::string& error);

// Walks the listing from `from` and returns the token of the first page with a file missing
// from the sink, or nothing when every file is there. One request per page, one stat per file.
std::optional<std::string> first_incomplete_page(const client::Endpoint& server, const client::ClientOptions& options,
                                                 const client::SinkConfig& sink, const std::string& from);

}  // namespace billion::harness
