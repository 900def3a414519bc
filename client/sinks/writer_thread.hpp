// A sink an event loop hands its files to: a writer thread creates them through the files sink,
// so the loop goes on with its connections instead of waiting for the file system. Why: a loop
// spending 8 us a file on HTTP and creating files inline ran at 17.6 us a file on tmpfs, 9.5 us
// with the writer thread (1.86x; 1.22x on the ext4 disk); io_uring batches 0.70-1.07x on tmpfs.
// The sqlite sink stays inline: a row costs the loop 1.3 us, and the writer thread gained it
// 1.11x at most, under the 15 % a change must win by (billion_sink_bench BM_Loop,
// results/2vcpu/bench-sinks-loop.md).
// Files cross in batches of 64 (or of 1 MiB, for large files) through a bounded queue of 8
// batches: the loop waits only when the writer is 512 files behind, and memory stays bounded.
//
// The writer counts into its own WorkerStats; close() stores what is left and adds them to the
// worker's.
#pragma once

#include <memory>

#include "client/sinks/sink.hpp"

namespace billion::client {

// An event loop's sink: the files sink behind a writer thread, the others as open_sink_counted
// opens them; nothing when it cannot be opened (counted in stats, as open_sink_counted does).
std::unique_ptr<Sink> open_writer_sink_counted(const SinkConfig& config, WorkerStats& stats);
// Any sink behind a writer thread (billion_sink_bench measures sqlite this way too).
std::unique_ptr<Sink> behind_writer_thread(std::unique_ptr<Sink> inner);

}  // namespace billion::client
