// CPU time from getrusage (see metrics.hpp).
#include "harness/run/metrics.hpp"

#include <sys/resource.h>

namespace billion::harness {

double cpu_seconds() {
    auto sum = [](int who) {
        rusage u{};
        ::getrusage(who, &u);
        return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    return sum(RUSAGE_SELF) + sum(RUSAGE_CHILDREN);
}

}  // namespace billion::harness
