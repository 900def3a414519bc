// The Job's derived values (see job.hpp).
#include "strategies/job.hpp"

#include <algorithm>
#include <thread>

namespace billion::strategies {

unsigned Job::process_count() const {
    return knobs.processes ? knobs.processes : std::max(1u, std::thread::hardware_concurrency());
}

unsigned Job::rank_count() const {
    return knobs.ranks ? knobs.ranks : std::max(1u, std::thread::hardware_concurrency());
}

client::PageWalk Job::walk() const {
    client::PageWalk w;
    if (resume_from) {
        w.start_at(*resume_from);
        w.skip_stored_in(sink);
    }
    if (list_until) w.list_until(*list_until);
    return w;
}

}  // namespace billion::strategies
