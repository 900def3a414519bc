// Strategy `sync`: one thread, one keep-alive connection, one request at a time.
#include "client/api.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

Result run_sync(const Job& job) {
    Result result;
    client::WorkerStats& stats = result.stats;
    client::ApiClient api(job.server, job.client, stats);
    auto sink = client::open_sink(job.sink);

    // download + write: one GET on the only connection, then the sink.
    auto download = [&](const std::string& name) {
        if (auto bytes = api.get(name)) sink->write(name, *bytes, stats);
    };

    auto walk = job.walk();
    while (!job.stopping()) {
        // list: one page.
        auto page = api.next_page(walk);
        if (!page) break;
        // hand off: nobody to hand to; the same thread downloads the page in order.
        for (const auto& name : page->names) {
            if (job.stopping()) break;
            download(name);
        }
    }
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
