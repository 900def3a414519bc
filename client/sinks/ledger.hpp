// Exactly-once where no catalog can tell: every name a worker hands its sink, as a 64-bit
// digest, appended to a file of that worker's; after the run the digests of every worker are
// sorted in bounded memory and a name received twice is found, whichever sink, process or
// rank received it. Used when the server is not the embedded one (the catalog's digest catches
// a repeat there). Disk: 8 bytes a file; two names of 10^8 collide with odds of about 3e-4.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "client/stats.hpp"

namespace billion::client {

class NameLedger {
public:
    // A new file in dir, named by the process and a counter: one per sink, never shared.
    explicit NameLedger(const std::filesystem::path& dir);
    ~NameLedger();
    NameLedger(const NameLedger&) = delete;
    NameLedger& operator=(const NameLedger&) = delete;
    // Records name; a write that fails is counted at the write stage (the check then cannot
    // be trusted, and the run is not verified).
    void add(std::string_view name, WorkerStats& stats);
    void flush(WorkerStats& stats);

private:
    int fd_ = -1;
    std::vector<std::uint64_t> buffer_;
};

struct LedgerCheck {
    std::uint64_t names = 0;  // digests recorded
    std::uint64_t twice = 0;  // names seen more than once (each repeat counted)
    std::string error;        // the ledger could not be read: nothing can be said
};

// Reads every ledger file in dir: in memory when they hold at most `in_memory` digests,
// otherwise split by digest into files of at most about that many, each sorted alone.
LedgerCheck check_ledgers(const std::filesystem::path& dir, std::size_t in_memory = std::size_t{1} << 25);

}  // namespace billion::client
