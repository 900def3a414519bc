// Signal handling for a clean stop (see stop.hpp).
#include "harness/run/stop.hpp"

#include <unistd.h>
#include <csignal>
#include <ctime>

#include "client/processes/ipc.hpp"

namespace billion::harness {

namespace {
// Shared with worker processes; made before main(), so any process forked later sees it, and
// never freed: a signal that comes while the process exits must still find it mapped.
client::SharedFlag* const g_shared_stop = new client::SharedFlag;  // NOLINT: leaked on purpose
std::atomic<bool>* const g_stop = &g_shared_stop->get();
std::atomic<std::int64_t> g_first_ns{0};  // when the first stop request came (CLOCK_MONOTONIC)
static_assert(std::atomic<std::int64_t>::is_always_lock_free, "read in a signal handler");

std::int64_t now_ns() {
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe
    return std::int64_t{t.tv_sec} * 1000000000 + t.tv_nsec;
}

void on_signal(int) {
    const std::int64_t now = now_ns();
    if (g_stop->load()) {
        // The same burst (a group signal after the one to this process): already stopping.
        if (now - g_first_ns.load() < std::chrono::nanoseconds(kSignalBurst).count()) return;
        client::quit_now(kExitInterrupted);
    }
    g_first_ns.store(now);
    g_stop->store(true);
    static const char msg[] = "\nbillion: stopping (requests in flight finish); press Ctrl-C again to quit at once\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
}
}  // namespace

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    // One handler at a time: a SIGTERM arriving inside the SIGINT handler waits for it.
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&sa.sa_mask, sig);
    sa.sa_flags = SA_RESTART;
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        sigaction(sig, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

const std::atomic<bool>& stop_flag() {
    return *g_stop;
}
bool stop_requested() {
    return stop_flag().load(std::memory_order_relaxed);
}

}  // namespace billion::harness
