// Numbers and durations with suffixes on the command line: 10k, 1M, 5ms, 2s.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace billion::harness {

// Case-sensitive (CASE_SENSITIVE is 0 in CLI11): k = 10^3, M = 10^6, G = 10^9 (decimal: file counts, not bytes).
CLI::Validator count_units();
// us, ms, s, m; a unit is required ("5" alone is refused as ambiguous).
CLI::Validator duration_units();

// Adds a duration option stored as microseconds.
CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& help);

std::string format_duration(double seconds);  // "3.2 ms", "41.6 days"

}  // namespace billion::harness
