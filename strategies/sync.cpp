// Strategy `sync`: one thread, one keep-alive connection, one request at a time.
#include "client/api.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

Result run_sync(const Options& o) {
    Result result;
    client::WorkerStats& stats = result.stats;
    client::ApiClient api(o.server, o.client, stats);
    auto sink = client::open_sink(o.sink);

    // download + write: one GET on the only connection, then the sink.
    auto download = [&](const std::string& name) {
        if (auto bytes = api.get(name)) sink->write(name, *bytes, stats);
    };

    auto walk = o.walk();
    while (!o.stopping()) {
        // list: one page.
        auto page = api.next_page(walk);
        if (!page) break;
        // hand off: nobody to hand to; the same thread downloads the page in order.
        for (const auto& name : page->names) {
            if (o.stopping()) break;
            download(name);
        }
    }
    result.interrupted = o.stopping();
    return result;
}

}  // namespace billion::strategies
