// The open-file preflight (see limits.hpp).
#include "harness/host/limits.hpp"

#include <sys/resource.h>

#include <iostream>

namespace billion::harness {

void raise_open_files() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
}

Expected<void> ensure_open_files(const std::vector<std::pair<const strategies::Strategy*, strategies::Job>>& runs) {
    std::uint64_t need = 0;
    const strategies::Strategy* neediest = nullptr;
    for (const auto& [st, job] : runs)
        if (st->descriptors && st->descriptors(job) + kHarnessDescriptors > need) {
            need = st->descriptors(job) + kHarnessDescriptors;
            neediest = st;
        }
    rlimit lim{};
    if (!neediest || ::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= need) return outcome::success();
    if (lim.rlim_max == RLIM_INFINITY || lim.rlim_max >= need) {
        const rlim_t was = lim.rlim_cur;
        lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? need : lim.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &lim) == 0) {
            std::cerr << "billion: raised the open-file limit from " << was << " to " << lim.rlim_cur << " ("
                      << neediest->name << " needs about " << need << ")\n";
            return outcome::success();
        }
    }
    std::string error = neediest->name + " needs about " + std::to_string(need) +
                        " open files (a connection each, and its sinks) but the limit is " +
                        std::to_string(lim.rlim_cur) + " and cannot be raised past " + std::to_string(lim.rlim_max) +
                        ": raise it first (ulimit -n " + std::to_string(need) + ")";
    std::string knobs;
    for (const auto& k : neediest->knobs)
        if (k != "batch" && k != "pipeline") knobs += (knobs.empty() ? "--" : " or --") + k;
    if (!knobs.empty()) error += " or lower " + knobs;
    return error;
}

}  // namespace billion::harness
