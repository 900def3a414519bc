// Open MPI's files of one cluster job on this machine, in a directory billion owns: the job's
// session directory (its PMIx store, about 8 MiB) and the ranks' shared-memory segments (4 MiB
// a rank). Open MPI removes them itself when a job ends well; a rank or an mpirun that is
// killed leaves them behind (found here: 65 session directories, 524 MiB, in /tmp/ompi.* after
// a day of tests, and the segments of every killed job in /dev/shm, which is memory). billion
// removes the directory once it has reaped mpirun, and, before each job, those that a billion
// no longer running left.
#pragma once

#include <filesystem>

namespace billion::strategies {

class MpiScratch {
public:
    // A new directory under root() for this process's next job; throws client::StageError
    // (setup) when it cannot be made. Removes first what dead billions left in root().
    MpiScratch();
    ~MpiScratch();  // removes the directory and everything in it
    MpiScratch(const MpiScratch&) = delete;
    MpiScratch& operator=(const MpiScratch&) = delete;
    const std::filesystem::path& path() const { return path_; }

    // /dev/shm where it can be written (the segments are shared memory), else the temp directory.
    static std::filesystem::path root();
    // Removes root()'s billion-mpi-PID-N directories whose PID is not running.
    static void remove_stale();

private:
    std::filesystem::path path_;
};

}  // namespace billion::strategies
