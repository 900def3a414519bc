// Ctrl-C: the first SIGINT, SIGTERM or SIGHUP asks every strategy to stop starting work; the
// signals of one burst (`timeout` signals the child, then its whole group) count as one. A
// second stop request, later than that, exits at once: the checkpoint kept on disk while a
// files-sink run goes (checkpoint.hpp) still lets --resume continue.
#pragma once

#include <atomic>
#include <chrono>

#include "harness/common/exit_codes.hpp"

namespace billion::harness {

// Signals closer together than this are one stop request.
inline constexpr std::chrono::milliseconds kSignalBurst{500};

void install_stop_handlers();
// The stop flag, in memory shared with worker processes (a client::SharedFlag).
const std::atomic<bool>& stop_flag();
bool stop_requested();

}  // namespace billion::harness
