// The exit status of billion (README: exit codes).
#pragma once

namespace billion::harness {

constexpr int kExitOk = 0;             // every run verified
constexpr int kExitUnverified = 1;     // a run failed verification or could not complete
constexpr int kExitUsage = 2;          // bad input: flags, names, output directory
constexpr int kExitInterrupted = 130;  // Ctrl-C / SIGTERM

}  // namespace billion::harness
