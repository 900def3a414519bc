// A sink an event loop hands its files to: a writer thread creates them through the files sink,
// so the loop goes on with its connections instead of waiting for the file system. It beat
// creating files inline and io_uring batches; the sqlite sink stays inline, as a thread did not
// gain it enough (docs/decisions.md).
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
