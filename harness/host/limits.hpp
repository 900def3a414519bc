// The open-file limit against what a run will open, checked before it starts: a run that
// would hit EMFILE halfway is refused up front, or the soft limit is raised when the hard one
// allows it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/expected.hpp"
#include "strategies/strategy.hpp"

namespace billion::harness {

// Descriptors the harness itself may hold beside a strategy's (standard streams, the
// embedded server's pipe, the progress and checkpoint connections, the JSON file).
inline constexpr std::uint64_t kHarnessDescriptors = 32;

// Checks RLIMIT_NOFILE for the runs about to start (the largest need counts). Raises the soft
// limit to the hard one when that is enough (says so on stderr). An error saying what to do
// when the runs cannot go ahead.
// A server holds a descriptor a client connection, thousands at once: `billion serve` raises
// its soft limit to the hard one before it listens (quietly: it may fail only as nothing).
void raise_open_files();
Expected<void> ensure_open_files(const std::vector<std::pair<const strategies::Strategy*, strategies::Job>>& runs);

}  // namespace billion::harness
