// The cluster strategy's MPI side (cluster.cpp): what each rank of billion-cluster runs.
#pragma once

#include <optional>

#include "client/stats.hpp"
#include "strategies/job.hpp"

namespace billion::strategies {

// Runs this rank's part of the job (MPI initialised): rank 0 owns the tokens, the others
// download. Rank 0 gets every rank's counters, merged; the others get nothing.
std::optional<client::WorkerStats> run_cluster_rank(const Job& job);

}  // namespace billion::strategies
