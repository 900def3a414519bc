// billion-cluster: the MPI program of the cluster strategy. billion starts it through mpirun
// (cluster_launch.cpp) with the job as JSON: `billion-cluster --job JSON`; it is not meant to
// be run by hand. Rank 0 prints two lines for billion (cluster_wire.hpp); errors go to stderr.
#include <signal.h>
#include <sys/prctl.h>

#include <atomic>
#include <cstring>
#include <iostream>

#include <mpi.h>

#include "client/processes/mpi_link.hpp"
#include "client/teaching/interpreter.hpp"
#include "strategies/cluster.hpp"
#include "strategies/cluster_wire.hpp"

namespace {
std::atomic<bool> stop{false};
}

int main(int argc, char** argv) {
    // billion asks for a stop with SIGUSR1, which mpirun forwards to every rank. Installed
    // before MPI_Init, so a rank that has passed the startup barrier below is sure to hear it.
    struct sigaction sa {};
    sa.sa_handler = [](int) { stop.store(true); };
    ::sigaction(SIGUSR1, &sa, nullptr);
    // A rank dies with its launcher (mpirun, or Open MPI's daemon on another host): a killed
    // billion leaves nothing behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);

    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, ranks = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);

    billion::strategies::Job job;
    try {
        if (argc != 3 || std::strcmp(argv[1], "--job") != 0)
            throw std::runtime_error("usage: billion-cluster --job JSON (billion starts it through mpirun)");
        if (ranks < 2) throw std::runtime_error("needs 2 ranks at least: one owns the tokens, one downloads");
        job = billion::strategies::job_from_json(argv[2]);
    } catch (const std::exception& e) {
        if (rank == 0) std::cerr << "billion-cluster: " << e.what() << "\n";
        MPI_Finalize();
        return 2;
    }
    job.client.stop = &stop;
    // --client-cpu: the teaching model's per-request work, in this rank.
    const billion::client::Interpreter interpreter(job.client.cpu_per_request, nullptr);
    if (job.client.cpu_per_request.count() > 0) job.client.hook = &interpreter;

    // Every rank is up with its stop handler in place: billion may now send a stop.
    MPI_Request barrier;
    MPI_Ibarrier(MPI_COMM_WORLD, &barrier);
    billion::client::wait_polling(barrier);
    if (rank == 0) std::cout << billion::strategies::kReadyLine << std::endl;

    auto merged = billion::strategies::run_cluster_rank(job);
    if (merged) std::cout << billion::strategies::stats_line(*merged) << std::endl;
    MPI_Finalize();
    return 0;
}
