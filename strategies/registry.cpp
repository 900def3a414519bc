// The registry of strategies, in the order of the talk's table.
#include <algorithm>

#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace {
// Open files per process: a connection is one, a sink at most three (files: its directory and
// the file being written; sqlite: the database, its WAL and its shared-memory index), a pipe
// end one, an Asio loop about three (epoll, eventfd, timerfd).
constexpr std::uint64_t kSink = 3, kLoop = 3;
std::uint64_t sync_fds(const Job&) {
    return 1 + kSink;
}
std::uint64_t threads_fds(const Job& job) {
    return 1 + std::uint64_t{job.knobs.workers} * (1 + kSink);
}
// A worker inherits the report pipes of the workers forked before it.
std::uint64_t processes_fds(const Job& job) {
    return job.process_count() + 3 + 1 + kSink;
}
std::uint64_t async_fds(const Job& job) {
    return std::uint64_t{job.knobs.concurrency} + 1 + kSink + kLoop;
}
std::uint64_t combo_fds(const Job& job) {
    return std::max<std::uint64_t>(std::uint64_t{2} * job.process_count(),
                                   std::uint64_t{job.knobs.concurrency} + 1 + kSink + kLoop + 2);
}
// Each rank: combo's worker, plus a socket to each other rank (Open MPI's TCP transport).
std::uint64_t cluster_fds(const Job& job) {
    return std::uint64_t{job.knobs.concurrency} + 1 + kSink + kLoop + job.rank_count() + 1;
}
}  // namespace

const std::vector<Strategy>& all() {
    static const std::vector<Strategy> list = {
        {"sync", "one thread, one connection, one request at a time", run_sync, sync_fds, {}},
        {"threads", "a oneTBB pipeline: one lister, W blocking worker threads", run_threads, threads_fds, {"workers"}},
        {"processes",
         "a parent lists; P worker processes pull file names from a pipe",
         run_processes,
         processes_fds,
         {"processes", "batch"}},
        {"async", "one thread, one Asio loop, C requests in flight", run_async, async_fds, {"concurrency", "pipeline"}},
        {"combo",
         "P processes, each an Asio loop with C in flight; only tokens cross",
         run_combo,
         combo_fds,
         {"processes", "concurrency", "pipeline"}},
        {"cluster",
         "R MPI ranks (mpirun), each an Asio loop with C in flight; rank 0 owns the tokens",
         run_cluster,
         cluster_fds,
         {"ranks", "concurrency", "pipeline"},
         false},
    };
    return list;
}

std::vector<std::string> all_names() {
    std::vector<std::string> names;
    for (const auto& s : all())
        if (s.in_all) names.push_back(s.name);
    return names;
}

const Strategy* find(const std::string& name) {
    for (const auto& s : all())
        if (s.name == name) return &s;
    return nullptr;
}

bool has_knob(const Strategy& s, const std::string& knob) {
    return std::find(s.knobs.begin(), s.knobs.end(), knob) != s.knobs.end();
}

std::string knob_owners(const std::string& knob) {
    std::string owners;
    for (const auto& s : all())
        if (has_knob(s, knob)) owners += (owners.empty() ? "" : ", ") + s.name;
    return owners;
}

}  // namespace billion::strategies
