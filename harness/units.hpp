// Numbers and durations with suffixes on the command line: 10k, 1M, 5ms, 2s.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace billion::harness {

// A count with an optional suffix: k = 10^3, M = 10^6, G = 10^9 (decimal: file counts, not
// bytes); a fraction is allowed when the count comes out whole (1.5k). Nothing, and error set
// to a one-line message, for anything else: a sign, an exponent, hex, a fraction of a file.
std::optional<std::uint64_t> parse_count(std::string_view text, std::string& error);
// The same as a CLI11 transform: the option receives the plain number.
CLI::Validator count_units();
// Checks on values already transformed: a count of at least one; a rate from 0 to 1 (NaN and
// infinities refused); a value (a path, a list item) that is not empty.
CLI::Validator positive();
// A whole number from 0 to 2^64 - 1, said so when it is not (CLI11's own range says 1.8e308).
CLI::Validator whole_number();
CLI::Validator rate();
CLI::Validator non_empty(const std::string& what);
// A duration in microseconds: a number (fractions allowed) and a unit (us, ms, s, min); "0"
// alone is zero. "5" alone is refused as ambiguous, "1m" as unclear, "-5ms" as negative.
// Nothing, and error set to a one-line message, when text is not a duration.
std::optional<std::int64_t> parse_duration_us(std::string_view text, std::string& error);
// The same as a CLI11 transform: the option receives microseconds.
CLI::Validator duration_units();

// Adds a duration option stored as microseconds.
CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& help);

std::string format_duration(double seconds);
std::string grouped(std::uint64_t v);  // 1234567 -> "1,234,567"  // "3.2 ms", "41.6 days"
// A duration as a label, in the form the command line takes it: "0", "100us", "1.5ms", "2s".
std::string compact_duration(std::int64_t microseconds);

}  // namespace billion::harness
