// Strategy `processes`: the parent lists pages and hands file names to P worker processes
// through one pipe; an idle worker pulls the next task, as the talk's process pool did.
// Each worker keeps its own connection; its counters come back to the parent at the end.
#include <unistd.h>

#include <cerrno>

#include <vector>

#include "client/api.hpp"
#include "client/ipc.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace {
constexpr std::uint8_t kStats = 'S';

// A worker process: pull tasks (one or more names, '\n'-separated) until the pipe closes.
int worker(const Job& job, int tasks, int report) {
    client::leave_stops_to_parent();
    client::reset_own_peak_rss();
    client::WorkerStats stats;
    client::ApiClient api(job.server, job.client, stats);
    auto sink = client::open_sink(job.sink);

    // download + write: on this process's connection and sink.
    auto download = [&](const std::string& name) {
        if (auto bytes = api.get(name)) sink->write(name, *bytes, stats);
    };

    char buf[client::kPacketMax];
    for (;;) {
        ssize_t n = ::read(tasks, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (job.stopping()) continue;  // drain, so the parent never blocks on a full pipe
        std::string_view task(buf, static_cast<std::size_t>(n));
        for (std::size_t pos = 0; pos < task.size() && !job.stopping();) {
            auto end = task.find('\n', pos);
            download(std::string(task.substr(pos, end - pos)));
            pos = end + 1;
        }
    }
    client::record_own_peak_rss(stats);
    return client::send_message(report, kStats, client::as_bytes(stats)) ? 0 : 1;
}
}  // namespace

Result run_processes(const Job& job) {
    Result result;
    const unsigned P = job.process_count();
    int tasks[2];
    client::packet_pipe(tasks);
    std::vector<pid_t> pids;
    std::vector<int> reports;
    for (unsigned i = 0; i < P; ++i) {
        int report[2];
        client::plain_pipe(report);
        pids.push_back(client::spawn([&] {
            ::close(tasks[1]);
            ::close(report[0]);
            return worker(job, tasks[0], report[1]);
        }));
        ::close(report[1]);
        reports.push_back(report[0]);
    }
    ::close(tasks[0]);

    // hand off: one task per `batch` names, each a packet a single idle worker pulls.
    std::string task;
    unsigned in_task = 0;
    auto flush = [&] {
        if (!task.empty()) client::write_all(tasks[1], task);
        task.clear();
        in_task = 0;
    };
    auto hand_off = [&](const std::string& name) {
        if (task.size() + name.size() + 1 > client::kPacketMax) flush();
        task += name;
        task += '\n';
        if (++in_task >= job.knobs.batch) flush();
    };

    client::WorkerStats& stats = result.stats;
    client::ApiClient api(job.server, job.client, stats);
    auto walk = job.walk();
    while (!job.stopping()) {
        // list: in the parent, one page at a time.
        auto page = api.next_page(walk);
        if (!page) break;
        for (const auto& name : page->names) {
            if (job.stopping()) break;
            hand_off(name);
        }
    }
    flush();
    ::close(tasks[1]);  // end of tasks: each worker finishes and reports

    for (unsigned i = 0; i < P; ++i) {
        client::Message m;
        client::WorkerStats ws;
        if (client::recv_message(reports[i], m) && m.type == kStats && client::from_bytes(m.payload, ws))
            stats.merge(ws);
        else
            result.children_ok = false;
        ::close(reports[i]);
        result.children_ok = client::reap(pids[i]) && result.children_ok;
    }
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
