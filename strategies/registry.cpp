// The registry of strategies, in the order of the talk's table.
#include <thread>

#include "strategy.hpp"

namespace billion::strategies {

unsigned Options::process_count() const {
    return processes ? processes : std::max(1u, std::thread::hardware_concurrency());
}

client::PageWalk Options::walk() const {
    client::PageWalk w;
    if (resume_from) {
        w.start_at(*resume_from);
        w.skip_stored_in(sink);
    }
    return w;
}

const std::vector<Strategy>& all() {
    static const std::vector<Strategy> list = {
        {"sync", "one thread, one connection, one request at a time", run_sync},
        {"threads", "a oneTBB pipeline: one lister, W blocking worker threads", run_threads},
        {"processes", "a parent lists; P worker processes pull file names from a pipe", run_processes},
        {"async", "one thread, one Asio loop, C requests in flight", run_async},
        {"combo", "P processes, each an Asio loop with C in flight; only tokens cross", run_combo},
    };
    return list;
}

const Strategy* find(const std::string& name) {
    for (const auto& s : all())
        if (s.name == name) return &s;
    return nullptr;
}

}  // namespace billion::strategies
