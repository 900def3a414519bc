// The Job's derived values (see job.hpp).
#include "strategies/job.hpp"

#include <algorithm>
#include <thread>

namespace billion::strategies {

unsigned Job::process_count() const {
    return knobs.processes ? knobs.processes : std::max(1u, std::thread::hardware_concurrency());
}

unsigned Job::rank_count() const {
    if (knobs.ranks) return knobs.ranks;
    if (!knobs.hosts.empty()) return std::max(1u, host_slots(knobs.hosts) - 1);
    return std::max(1u, std::thread::hardware_concurrency());
}

unsigned host_slots(std::string_view hosts) {
    unsigned slots = 0;
    while (!hosts.empty()) {
        const auto end = std::min(hosts.find(','), hosts.size());
        const auto item = hosts.substr(0, end);
        const auto colon = item.find(':');
        unsigned n = 1;
        if (colon != std::string_view::npos) {
            n = 0;
            for (char c : item.substr(colon + 1))
                n = c >= '0' && c <= '9' ? n * 10 + static_cast<unsigned>(c - '0') : n;
        }
        slots += n;
        hosts.remove_prefix(std::min(end + 1, hosts.size()));
    }
    return slots;
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
