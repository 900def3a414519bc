// Numbers and durations with suffixes, as the command line takes them: 10k, 1M, 5ms, 2s.
#pragma once

#include <cstdint>
#include <string_view>

#include "harness/common/expected.hpp"

namespace billion::harness {

// A count with an optional suffix: k = 10^3, M = 10^6, G = 10^9 (decimal: file counts, not
// bytes); a fraction is allowed when the count comes out whole (1.5k). A count, or
// a one-line message for anything else: a sign, an exponent, hex, a fraction of a file.
Expected<std::uint64_t> parse_count(std::string_view text);
// A duration in microseconds: a number (fractions allowed) and a unit (us, ms, s, min); "0"
// alone is zero. "5" alone is refused as ambiguous, "1m" as unclear, "-5ms" as negative.
// A one-line message when text is not a duration.
Expected<std::int64_t> parse_duration_us(std::string_view text);

}  // namespace billion::harness
