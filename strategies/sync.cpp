// Strategy `sync`: one thread, one keep-alive connection, one request at a time.
#include "client/http/api.hpp"
#include "client/sinks/sink.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

Result run_sync(const Job& job) {
    Result result;
    client::WorkerStats& stats = result.stats;
    client::ApiClient api(job.server, job.client, stats);
    auto sink = client::open_sink_counted(job.sink, stats);
    if (!sink) return result;  // cannot write: counted, nothing to download
    auto walk = job.walk();

    while (!job.stopping()) {
        // list: one page, on the only connection.
        auto page = api.next_page(walk);
        if (!page) break;
        // hand off: nobody to hand to; the same thread takes the page's names in order.
        for (const auto& name : page->names) {
            if (job.stopping()) break;
            // download + write: one GET on the only connection, then the sink.
            if (auto bytes = api.get(name)) sink->write(name, *bytes, stats);
        }
    }

    // stop: checked before each page and each file; the request in flight finishes.
    // collect: one thread, one set of counters, nothing to merge.
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
