// Spinning on the thread's CPU clock (see cpu_burn.hpp).
#include "client/teaching/cpu_burn.hpp"

#include <ctime>

namespace billion::client {

namespace {
std::chrono::nanoseconds thread_cpu() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}
}  // namespace

void burn_cpu(std::chrono::nanoseconds d) {
    if (d <= std::chrono::nanoseconds::zero()) return;
    const auto until = thread_cpu() + d;
    volatile unsigned long sink = 0;  // work the compiler cannot drop
    while (thread_cpu() < until)
        for (int i = 0; i < 256; ++i) sink = sink + static_cast<unsigned long>(i);
}

}  // namespace billion::client
