// A run's steady state: wall = start-up + files x per-file, where per-file is the slope of
// the files-over-time samples in the run's middle (between 10 % and 90 % of its files) and
// start-up is what the wall has beyond it (spawning processes or mpirun, first connections,
// the first page, the tail). A billion files then take start-up + 10^9 x per-file, not 10^9
// x (wall / files), which charged the start-up a billion times over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/expected.hpp"
#include "harness/run/sampler.hpp"

namespace billion::harness {

struct Steady {
    double per_file_s = 0;    // the slope: seconds per file in the steady middle
    double startup_s = 0;     // wall - files x per_file_s
    std::size_t samples = 0;  // samples in the middle the slope was fitted on
};

// Fewer samples than this in the middle: the run was too short to see a slope.
constexpr std::size_t kMinSteadySamples = 8;
// Why a run against a server without /stats has no steady rate (more files would not help).
inline constexpr const char* kNoStatsToSample = "no /stats to sample";

// The steady state of a run of `files` in `wall_s`, or why there is none.
Expected<Steady> fit_steady(const std::vector<Sample>& samples, std::uint64_t files, double wall_s);

}  // namespace billion::harness
