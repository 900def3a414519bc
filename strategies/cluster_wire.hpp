// What crosses between billion and the cluster strategy's MPI program (billion-cluster, which
// mpirun starts, maybe on other hosts): the Job as JSON on its command line, and two lines
// rank 0 prints on its standard output, which mpirun forwards: "ready" (every rank is up and
// will hear a stop) and the merged counters, in hex. The Job carries everything a rank needs
// and nothing of this process: the stop flag and the GIL stay behind, and --max-time travels
// as time left, since another host's steady clock does not share this one's epoch.
#pragma once

#include <string>
#include <string_view>

#include "client/stats.hpp"
#include "strategies/job.hpp"

namespace billion::strategies {

std::string job_to_json(const Job& job);
// Throws std::runtime_error on anything that is not a job_to_json text.
Job job_from_json(std::string_view text);

inline constexpr std::string_view kReadyLine = "billion-cluster: ready";
inline constexpr std::string_view kStatsPrefix = "billion-cluster: stats ";
std::string stats_line(const client::WorkerStats& stats);  // kStatsPrefix + hex, no newline
// False unless line is a whole stats_line.
bool parse_stats_line(std::string_view line, client::WorkerStats& stats);

}  // namespace billion::strategies
