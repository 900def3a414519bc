// Signal handling for a clean stop (see signals.hpp).
#include "signals.hpp"

#include <csignal>
#include <unistd.h>

namespace billion::harness {

namespace {
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void on_signal(int) {
    if (g_stop.exchange(true)) ::_exit(kExitInterrupted);
    static const char msg[] = "\nbillion: stopping; press Ctrl-C again to quit at once\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
}
}  // namespace

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

const std::atomic<bool>& stop_flag() { return g_stop; }
bool stop_requested() { return g_stop.load(std::memory_order_relaxed); }

}  // namespace billion::harness
