// Strategy `processes`: the parent lists pages and hands file names to P worker processes
// through one pipe; an idle worker pulls the next task, as the talk's process pool did. Each
// worker keeps its own connection; its counters come back to the parent at the end.
#include <unistd.h>

#include <cerrno>
#include <string>

#include "client/http/api.hpp"
#include "client/processes/worker_pool.hpp"
#include "client/sinks/sink.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace {

// list (in the parent): the next page, on the parent's own connection.
// hand off: names gathered into tasks of `batch` names, each one packet of the task pipe
// that exactly one idle worker pulls.
class TaskPipe {
public:
    TaskPipe() { client::packet_pipe(fds_); }
    ~TaskPipe() {
        close_writer();
        close_reader();
    }
    int reader() const { return fds_[0]; }
    void close_reader() { close(fds_[0]); }
    void close_writer() {
        flush();
        close(fds_[1]);
    }
    // Adds a name; a full task is sent. False when no worker is left to read it.
    bool hand_off(const std::string& name, unsigned batch) {
        if (task_.size() + name.size() + 1 > client::kPacketMax && !flush()) return false;
        task_ += name;
        task_ += '\n';
        return ++in_task_ < batch || flush();
    }

private:
    bool flush() {
        bool sent = task_.empty() || client::write_all(fds_[1], task_);
        task_.clear();
        in_task_ = 0;
        return sent;
    }
    static void close(int& fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    int fds_[2] = {-1, -1};
    std::string task_;
    unsigned in_task_ = 0;
};

// download + write (in a worker): pull tasks until the pipe closes, each name on this
// process's connection into its own sink.
int worker(const Job& job, int tasks, client::WorkerEnds ends) {
    client::worker_starts();
    client::WorkerStats stats;
    client::ApiClient api(job.server, job.client, stats);
    auto sink = client::open_sink_counted(job.sink, stats);
    if (!sink) {
        // Cannot write: counted, and reported to the parent like any worker's counters. The
        // tasks go to the other workers; with none left, the parent's next hand-off fails.
        ::close(tasks);
        return client::worker_ends(ends.report, stats);
    }
    char buf[client::kPacketMax];
    for (;;) {
        ssize_t n = ::read(tasks, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::string_view task(buf, static_cast<std::size_t>(n));
        // stop: a task pulled after a stop request is drained, not downloaded, so the parent
        // never blocks on a full pipe.
        for (std::size_t pos = 0; pos < task.size() && !job.stopping();) {
            auto end = task.find('\n', pos);
            if (auto bytes = api.get(std::string(task.substr(pos, end - pos))))
                sink->write(task.substr(pos, end - pos), *bytes, stats);
            pos = end + 1;
        }
    }
    return client::worker_ends(ends.report, stats);
}

}  // namespace

Result run_processes(const Job& job) {
    Result result;
    TaskPipe pipe;
    client::WorkerPool pool(job.process_count(), /*with_control=*/false, [&](client::WorkerEnds ends) {
        pipe.close_writer();
        return worker(job, pipe.reader(), ends);
    });
    pipe.close_reader();

    // list + hand off: in the parent, one page at a time, its names into tasks.
    client::WorkerStats& stats = result.stats;
    client::ApiClient api(job.server, job.client, stats);
    auto walk = job.walk();
    bool workers_listen = true;
    while (!job.stopping() && workers_listen) {
        auto page = api.next_page(walk);
        if (!page) break;
        for (const auto& name : page->names) {
            if (job.stopping()) break;
            workers_listen = pipe.hand_off(name, job.knobs.batch);
            if (!workers_listen) break;
        }
    }
    if (!workers_listen) stats.fail(client::Stage::protocol, "no worker process is left to take tasks", true);

    // stop: no more tasks after a stop request; the workers drain what the pipe holds.
    pipe.close_writer();  // end of tasks: each worker finishes and reports

    // collect: every worker's counters, merged; every worker reaped.
    result.children_ok = pool.collect(stats);
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
