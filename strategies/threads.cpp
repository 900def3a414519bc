// Strategy `threads`: a oneTBB pipeline. One serial stage lists pages and hands names off;
// a parallel stage of W worker threads downloads and writes, each thread on its own
// keep-alive connection. W may exceed the core count: the workers block on I/O.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <deque>
#include <memory>

#include "client/http/api.hpp"
#include "client/teaching/interpreter.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace {
// What each worker thread owns: its stats, its connection, its sink. A sink that cannot be
// opened is counted once (write, fatal) in this worker's stats, and the input stage stops.
struct Worker {
    client::WorkerStats stats;
    client::ApiClient api;
    std::unique_ptr<client::Sink> sink;
    Worker(const Job& job, std::atomic<bool>& cannot_write) : api(job.server, job.client, stats) {
        sink = client::open_sink_counted(job.sink, stats);
        if (!sink) cannot_write = true;
    }
};
}  // namespace

Result run_threads(const Job& job_in) {
    Result result;
    // --gil: one lock for every thread, held except while waiting on the network (the teaching
    // model's hook lets go around each wait).
    client::Gil lock;
    client::Gil* gil = job_in.knobs.gil ? &lock : nullptr;
    const client::Interpreter interpreter(job_in.client.cpu_per_request, gil);
    Job job = job_in;
    if (gil) job.client.hook = &interpreter;
    const unsigned W = std::max(1u, job.knobs.workers);
    client::WorkerStats lister_stats;
    client::ApiClient lister(job.server, job.client, lister_stats);
    auto walk = job.walk();
    std::deque<std::string> page;           // the names of the page being handed off
    std::atomic<bool> cannot_write{false};  // a worker's sink failed to open: the run ends

    // list + hand off: the pipeline's serial input stage lists a page when the last one is
    // handed off, and yields one name per token.
    auto hand_off = [&](tbb::flow_control& fc) -> std::string {
        client::Gil::Held held(gil);
        while (page.empty() && !job.stopping()) {
            auto listed = lister.next_page(walk);
            if (!listed) break;
            page.assign(std::make_move_iterator(listed->names.begin()), std::make_move_iterator(listed->names.end()));
        }
        if (page.empty() || job.stopping() || cannot_write) {
            fc.stop();
            return {};
        }
        std::string name = std::move(page.front());
        page.pop_front();
        return name;
    };

    // download + write: the parallel stage, on the calling thread's own connection and sink.
    tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers(
        [&] { return std::make_unique<Worker>(job, cannot_write); });
    auto download = [&](const std::string& name) {
        Worker& w = *workers.local();
        client::Gil::Held held(gil);
        if (!w.sink) return;  // counted when it failed to open
        if (auto bytes = w.api.get(name)) w.sink->write(name, *bytes, w.stats);
    };

    // W threads, more than TBB's default when W > cores: they block on I/O. Whichever thread
    // runs the input stage lists (on the lister's connection), then carries a name on.
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, W);
    tbb::task_arena arena(static_cast<int>(W));
    arena.execute([&] {
        // At most 2 W names in flight between the stages: the hand-off is bounded.
        tbb::parallel_pipeline(std::size_t{2} * W,
                               tbb::make_filter<void, std::string>(tbb::filter_mode::serial_in_order, hand_off) &
                                   tbb::make_filter<std::string, void>(tbb::filter_mode::parallel, download));
    });

    // stop: the input stage ends the pipeline; names already handed off are downloaded.
    // collect: the lister's counters and every worker thread's, merged after the pipeline.
    result.stats = lister_stats;
    for (auto& w : workers)
        result.stats.merge(w->stats);
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
