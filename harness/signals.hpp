// Ctrl-C: the first SIGINT or SIGTERM asks every strategy to stop starting work; a second
// one exits at once.
#pragma once

#include <atomic>

#include "exit_codes.hpp"

namespace billion::harness {

void install_stop_handlers();
const std::atomic<bool>& stop_flag();
bool stop_requested();

}  // namespace billion::harness
