// CPU spent on purpose: the teaching knob --client-cpu makes every request cost this much
// client CPU, as an interpreter's per-request work does (the talk's hidden variable).
#pragma once

#include <chrono>

namespace billion::client {

// Spins until this thread has used d of CPU (its own CPU clock, so time spent preempted does
// not count): the cost is CPU, not wall time.
void burn_cpu(std::chrono::nanoseconds d);

}  // namespace billion::client
