// `billion serve` (see serve.hpp).
#include "harness/commands/serve.hpp"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <exception>
#include <thread>

#include "harness/host/limits.hpp"
#include "mock_server/server.hpp"

namespace billion::harness {

int run_serve(const mock::ServerConfig& options) {
    // Signals go to one waiting thread, which stops the server cleanly.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    raise_open_files();
    try {
        mock::Server server(options);
        std::printf("listening on http://%s:%u\n", options.host.c_str(), server.port());
        std::fflush(stdout);
        std::thread waiter([&] {
            int sig = 0;
            sigwait(&set, &sig);
            server.stop();
        });
        server.run();
        // run() also ends if every loop stops by itself; wake the waiter in that case.
        // Not a kill: the waiter sits in sigwait() for SIGINT/SIGTERM, and this wakes it.
        pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
        waiter.join();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "billion serve: %s\n", e.what());
        return 1;
    }
    return 0;
}

}  // namespace billion::harness
