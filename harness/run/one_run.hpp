// One strategy run, measured and verified: the output directory, the checkpoint, wall and CPU
// time, peak memory, the server's side, verification. The unit every command repeats.
#pragma once

#include <optional>

#include <chrono>
#include <cstdint>
#include <string>

#include "harness/common/expected.hpp"
#include "harness/host/downloads.hpp"
#include "harness/report/run_record.hpp"
#include "harness/run/server.hpp"
#include "strategies/strategy.hpp"

namespace billion::harness {

struct RunSpec {
    const strategies::Strategy* strategy = nullptr;
    strategies::Job job;                    // knobs and client settings; the server, sink and stop flag are filled in
    std::string label;                      // a sweep's cell ("workers=8,latency=1ms"), empty in compare
    bool warmup = false;                    // an uncounted run before the counted ones
    int repeat = 0;                         // 0, 1, ... among the counted runs of the same cell
    std::string dir_name;                   // files sink: the run's directory under the output base
    bool resume = false;                    // continue an interrupted files-sink run from its checkpoint
    std::chrono::microseconds max_time{0};  // list no page after this long (0: no cap)
    std::uint64_t expect_files = 0;         // --url: files expected (sizes the files sink's shards)
    bool checkpoint = true;                 // a kept run keeps a checkpoint (--checkpoint off: measured without)
    std::string urls_digest;                // --urls: the list's digest (a resume must use the same list)
};

// Runs the strategy once against server and verifies it; prints a start and an end line on
// stderr. An error means the run did not start.
// A failure is bad input (exit 2: the output directory, the checkpoint's content) or an I/O
// failure (exit 1: the checkpoint cannot be written).
ExpectedOr<RunRecord> run_once(const RunSpec& spec, Server& server, Downloads& out);

// What makes a run too small for its strategy's model to show (fewer pages than twice the
// processes or ranks that take whole pages; fewer files than async's requests in flight),
// and what to change; nothing when it was not.
std::optional<std::string> too_small(const RunRecord& r);

}  // namespace billion::harness
