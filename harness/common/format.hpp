// Numbers and durations as the tables and messages show them.
#pragma once

#include <cstdint>
#include <string>

namespace billion::harness {

std::string format_duration(double seconds);  // "3.2 ms", "41.6 days"
std::string grouped(std::uint64_t v);         // 1234567 -> "1,234,567"
// A duration as a label, in the form the command line takes it: "0", "100us", "1.5ms", "2s".
std::string compact_duration(std::int64_t microseconds);

}  // namespace billion::harness
