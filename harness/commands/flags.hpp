// CLI11's side of the command line's values: suffixed counts and durations as transforms,
// and the checks CLI11 has no words for. The only header of the harness that includes CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

namespace billion::harness {

// parse_count (common/units.hpp) as a CLI11 transform: the option receives the plain number.
CLI::Validator count_units();
// Checks on values already transformed: a count of at least one; a rate from 0 to 1 (NaN and
// infinities refused); a value (a path, a list item) that is not empty.
CLI::Validator positive();
// A whole number from 0 to 2^64 - 1, said so when it is not (CLI11's own range says 1.8e308).
CLI::Validator whole_number();
CLI::Validator rate();
CLI::Validator non_empty(const std::string& what);
// parse_duration_us as a CLI11 transform: the option receives microseconds.
CLI::Validator duration_units();

// Adds a duration option stored as microseconds.
CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& help);

}  // namespace billion::harness
