// The Job's derived values (see job.hpp).
#include "strategies/job.hpp"

#include <algorithm>
#include <string>
#include <thread>

namespace billion::strategies {

unsigned Job::process_count() const {
    return knobs.processes ? knobs.processes : std::max(1u, std::thread::hardware_concurrency());
}

unsigned Job::rank_count() const {
    if (knobs.ranks) return knobs.ranks;
    if (!knobs.hosts.empty()) {
        const auto slots = host_slots(knobs.hosts);  // checked on the command line
        return slots && slots.value() > 1 ? slots.value() - 1 : 1u;
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

client::Expected<unsigned> host_slots(std::string_view hosts) {
    unsigned slots = 0;
    for (std::size_t start = 0; start <= hosts.size();) {
        const auto end = std::min(hosts.find(',', start), hosts.size());
        const auto item = hosts.substr(start, end - start);
        const auto colon = item.find(':');
        const auto host = item.substr(0, colon);
        const auto count = colon == std::string_view::npos ? std::string_view{"1"} : item.substr(colon + 1);
        const bool host_ok = !host.empty() && host.find_first_not_of(
                                                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                  "0123456789.-_") == std::string_view::npos;
        const bool digits =
            !count.empty() && count.size() <= 6 && count.find_first_not_of("0123456789") == std::string_view::npos;
        const unsigned n = digits ? static_cast<unsigned>(std::stoul(std::string(count))) : 0;
        if (!host_ok || n == 0) return std::string(item);
        slots += n;
        start = end + 1;
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
