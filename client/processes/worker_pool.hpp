// The worker processes of the multi-process strategies (processes, combo): forked with a
// report pipe back to the parent (and, when asked, a control pipe from it), each one ending
// by sending its counters; the parent merges them and reaps every worker. What the two
// strategies share, so each keeps only its own concurrency model.
#pragma once

#include <sys/types.h>

#include <functional>
#include <vector>

#include "client/processes/ipc.hpp"
#include "client/stats.hpp"

namespace billion::client {

// The message type of a worker's final counters (the other types are the strategy's own).
inline constexpr std::uint8_t kStatsMessage = 'S';

// A worker's ends of its pipes: control (read; -1 without a control pipe) and report (write).
struct WorkerEnds {
    int control = -1;
    int report = -1;
};

class WorkerPool {
public:
    struct Worker {
        pid_t pid = -1;
        int control = -1;  // the parent writes here (-1 without a control pipe)
        int report = -1;   // the parent reads here
    };

    // Forks count workers; each runs body(its ends) and exits with what it returns. A worker
    // holds no end of another worker's pipes. Throws StageError when a pipe or fork fails.
    WorkerPool(unsigned count, bool with_control, const std::function<int(WorkerEnds)>& body);
    ~WorkerPool();
    std::vector<Worker>& workers() { return workers_; }

    // Closes every control pipe (no more work), then reads each worker's reports to its end:
    // a kStatsMessage is merged into stats, anything else is passed to `other` (may be empty).
    // Reaps every worker. False when a worker sent no counters or did not exit cleanly.
    bool collect(WorkerStats& stats, const std::function<void(const Message&)>& other = {});

private:
    std::vector<Worker> workers_;
    bool collected_ = false;
};

// In a worker process: the start of its life (stop signals left to the parent, its own
// memory peak) and the end (its counters, with its peak, sent on the report pipe). The exit
// status to return from the worker's body.
void worker_starts();
int worker_ends(int report, WorkerStats& stats);

}  // namespace billion::client
