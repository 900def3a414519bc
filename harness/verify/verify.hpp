// Verification of a run: every listed file arrived exactly once, with the right bytes, and
// what is on disk is what was received. Checked from the client's digests, the catalog rule
// (embedded server), a scan of the output tree (files sink) and the server's own counters.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "client/sinks/sink.hpp"
#include "client/stats.hpp"
#include "mock_server/catalog.hpp"

namespace billion::harness {

struct Check {
    std::string name;
    bool ok = true;
    std::string detail;
};

struct Verification {
    bool ok = true;
    std::vector<Check> checks;
    void add(std::string name, bool ok, std::string detail);
    std::string first_problem() const;
};

// The digest of everything a catalog holds (names and bytes), computed from the rule alone on
// every core; or of its first `first` files (a capped run's prefix). Each kept once made: a
// command repeats runs of the same catalog, and a large catalog's digest takes long.
class CatalogDigests {
public:
    client::Digest of(const mock::Catalog& c, std::optional<std::uint64_t> first = std::nullopt);

private:
    using Key = std::tuple<std::uint64_t, std::uint32_t, std::uint64_t, std::uint64_t>;
    static constexpr std::size_t kMaxKept = 64;  // a long sweep of sizes never piles up
    std::map<Key, client::Digest> known_;
};

// What a files-sink tree holds: a digest of its files, and entries that should not be there
// (a leftover partial file, a file in the wrong shard, anything not a regular file).
struct DiskScan {
    client::Digest digest;
    std::uint64_t stray = 0;
    std::string first_stray;
};
DiskScan scan_files(const std::filesystem::path& dir, client::NameRule names = client::NameRule::contract);
// What the databases of a sqlite sink hold: every row read back (name and bytes); a row with
// a name that is not a file name, or a database that cannot be read, is stray.
DiskScan scan_sqlite(const std::filesystem::path& dir, client::NameRule names = client::NameRule::contract);
// What a files or sqlite sink holds.
DiskScan scan_sink(const client::SinkConfig& sink);

// The server's counters for one run (deltas of its /stats), when it has them.
struct ServerCounts {
    std::uint64_t get_ok = 0;
    std::uint64_t list_requests = 0;
    std::uint64_t get_requests = 0;
    std::uint64_t connections = 0;
};

struct VerifyInput {
    const client::WorkerStats* stats = nullptr;
    bool interrupted = false;
    const mock::Catalog* catalog = nullptr;  // set when the server is the embedded one
    CatalogDigests* digests = nullptr;       // its digests kept between runs; none: made afresh
    client::SinkConfig sink;
    std::optional<ServerCounts> server;
    bool resumed = false;  // files found stored were skipped: the disk, not this run, must be whole
};

Verification verify(const VerifyInput& in);

}  // namespace billion::harness
