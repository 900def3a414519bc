// A sink an event loop hands its files to: a writer thread stores them through the real sink
// (files or sqlite), so the loop goes on with its connections instead of waiting for the file
// system. Why: a loop spending 8 us a file on HTTP and storing inline ran at 16.7 us a file on
// tmpfs; handing files to a writer thread, 8.4 us; io_uring batches, 15.5-16.0 us, not kept
// (billion_sink_bench BM_Loop; figures in results/2vcpu/bench-sinks-loop.md).
// Files cross in batches of 64 through a bounded queue of 8 batches: the loop waits only when
// the writer is 512 files behind, and memory stays bounded. The writer counts into its own
// WorkerStats; close() stores what is left and adds them to the worker's.
#pragma once

#include <memory>

#include "client/sinks/sink.hpp"

namespace billion::client {

// The sink of config behind a writer thread, or nothing when it cannot be opened (counted in
// stats, as open_sink_counted does).
std::unique_ptr<Sink> open_writer_sink_counted(const SinkConfig& config, WorkerStats& stats);

}  // namespace billion::client
