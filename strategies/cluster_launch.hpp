// The cluster strategy from billion's side (cluster_launch.cpp): the mpirun command that
// starts billion-cluster, and the --hosts check. Exposed for tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/expected.hpp"
#include "strategies/job.hpp"

namespace billion::strategies {

// mpirun's argument list for job (argv[0] is "mpirun"), running `exe` on ranks + 1 ranks.
// root: this process runs as root (Open MPI then needs its explicit permission). scratch: on
// one machine, the directory for Open MPI's files (mpi_scratch.hpp); empty: Open MPI's own.
std::vector<std::string> mpirun_args(const Job& job, const std::string& exe, bool root,
                                     const std::string& scratch = {});
// Whether hosts is a --hosts list (HOST:SLOTS or HOST, comma-separated); else what is wrong.
client::Expected<void> check_hosts(std::string_view hosts);
// Where billion-cluster is: $BILLION_CLUSTER, beside this executable, or where the build put it.
std::string cluster_exe();

}  // namespace billion::strategies
