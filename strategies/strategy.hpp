// The one interface every download strategy implements, and the registry that names them.
//
// Every strategy is the same program: LIST a page, HAND OFF its names, DOWNLOAD each file,
// WRITE it to the sink. The strategy files differ only in who does each step concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/stats.hpp"
#include "strategies/job.hpp"

namespace billion::strategies {

struct Result {
    client::WorkerStats stats;  // every worker's, merged
    bool interrupted = false;   // stopped early on request
    bool children_ok = true;    // every worker process exited cleanly (multi-process strategies)
    // A peer's: what inside run() was billion's own work, not the tool's (listing the catalog
    // to know what the tool should leave): taken off the run's time and the server's counts.
    struct Untimed {
        double seconds = 0;
        std::uint64_t connections = 0;
        std::uint64_t requests = 0;
    } untimed;
};

struct Strategy {
    std::string name;
    std::string model;  // one line: the concurrency model
    Result (*run)(const Job&);
    // The most file descriptors one of its processes holds at once (connections, sinks,
    // pipes), so a run can be checked against RLIMIT_NOFILE before it starts. Null: unknown.
    std::uint64_t (*descriptors)(const Job&) = nullptr;
    // The knobs of its model (Knobs' field names: workers, processes, concurrency, batch, ranks).
    std::vector<std::string> knobs = {};
    // One of the talk's five ways, run by `--strategies all`; cluster (MPI, several machines)
    // runs only when named.
    bool in_all = true;
};

// Every strategy, cluster included (find, `billion strategies`).
const std::vector<Strategy>& all();
// What `--strategies all` runs: the talk's five ways, in the talk's order.
std::vector<std::string> all_names();
const Strategy* find(const std::string& name);
// Whether the strategy has the knob; the strategies that have it, "async, combo, cluster".
bool has_knob(const Strategy& s, const std::string& knob);
std::string knob_owners(const std::string& knob);

Result run_sync(const Job& job);
Result run_threads(const Job& job);
Result run_processes(const Job& job);
Result run_async(const Job& job);
Result run_combo(const Job& job);
Result run_cluster(const Job& job);  // starts billion-cluster through mpirun

}  // namespace billion::strategies
