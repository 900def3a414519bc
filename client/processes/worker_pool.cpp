// Forking, collecting and reaping worker processes (see worker_pool.hpp).
#include "client/processes/worker_pool.hpp"

#include <signal.h>
#include <unistd.h>

namespace billion::client {

WorkerPool::WorkerPool(unsigned count, bool with_control, const std::function<int(WorkerEnds)>& body) {
    // The parent writes to pipes its workers read (tasks, tokens): one whose workers are gone
    // (a sink that could not open, a crash) must fail with EPIPE, not kill the parent. billion
    // ignores SIGPIPE already; a library caller (a test) may not.
    ::signal(SIGPIPE, SIG_IGN);
    for (unsigned i = 0; i < count; ++i) {
        int control[2] = {-1, -1}, report[2];
        if (with_control) plain_pipe(control);
        plain_pipe(report);
        pid_t pid = spawn([&] {
            for (const auto& w : workers_) {  // the parent's ends of the earlier workers' pipes
                if (w.control >= 0) ::close(w.control);
                ::close(w.report);
            }
            if (with_control) ::close(control[1]);
            ::close(report[0]);
            return body({control[0], report[1]});
        });
        if (with_control) ::close(control[0]);
        ::close(report[1]);
        workers_.push_back({pid, with_control ? control[1] : -1, report[0]});
    }
}

WorkerPool::~WorkerPool() {
    if (collected_) return;
    // Left without collect() (an exception in the parent): no worker may outlive the run.
    for (auto& w : workers_) {
        if (w.control >= 0) ::close(w.control);
        ::close(w.report);
        ::kill(w.pid, SIGKILL);
        reap(w.pid);
    }
}

bool WorkerPool::collect(WorkerStats& stats, const std::function<void(const Message&)>& other) {
    collected_ = true;
    for (auto& w : workers_)
        if (w.control >= 0) ::close(w.control);
    bool ok = true;
    for (auto& w : workers_) {
        Message m;
        bool counted = false;
        while (recv_message(w.report, m)) {
            if (m.type != kStatsMessage) {
                if (other) other(m);
                continue;
            }
            WorkerStats ws;
            counted = from_bytes(m.payload, ws);
            if (counted) stats.merge(ws);
            break;
        }
        ::close(w.report);
        ok = reap(w.pid) && counted && ok;
    }
    return ok;
}

void worker_starts() {
    leave_stops_to_parent();
    reset_own_peak_rss();
}

int worker_ends(int report, WorkerStats& stats) {
    record_own_peak_rss(stats);
    return send_message(report, kStatsMessage, as_bytes(stats)) ? 0 : 1;
}

}  // namespace billion::client
