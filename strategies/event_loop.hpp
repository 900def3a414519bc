// The event loop of `async`, and of each `combo` worker: one lister coroutine and C
// downloader coroutines, each on its own keep-alive connection, in one io_context on one
// thread, with the stop watcher. The two strategies differ only in their coroutines.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "client/async_stop.hpp"
#include "client/errors.hpp"
#include "client/http/async_api.hpp"
#include "strategies/job.hpp"

namespace billion::strategies {

// Names queued between a loop's lister and its downloaders (async, and each combo or cluster
// worker): two pages of the default 1,000, so the lister stays one page ahead (and a
// --max-time cap overshoots by at most that), and at least two pipelines a downloader, so none
// waits on the lister; bounded whatever the catalog.
constexpr std::size_t kQueuedNames = 2000;
inline std::size_t queued_names(const Job& job) {
    return std::max<std::size_t>(kQueuedNames, std::size_t{2} * job.knobs.concurrency * job.knobs.pipeline);
}

// Runs until the lister and every downloader have ended. list(api) and download(api) make
// the coroutines, given their connection; drop() empties and closes the queue between them
// (a stop request, or a listing that died).
template <class List, class Download>
void run_event_loop(boost::asio::io_context& io, const Job& job, client::WorkerStats& stats, List list,
                    Download download, const std::function<void()>& drop) {
    namespace asio = boost::asio;
    client::AsyncApiClient lister(io.get_executor(), job.server, job.client, stats);
    asio::co_spawn(io, list(lister), [&](std::exception_ptr e) {
        lister.finish();  // its connection's deadline timer ends with it
        if (!e) return;
        client::count_exception(stats, e, client::Stage::list, true);
        drop();
    });

    client::StopWatch stop(io.get_executor(), job.client, drop);
    const unsigned C = std::max(1u, job.knobs.concurrency);
    unsigned running = C;
    std::vector<std::unique_ptr<client::AsyncApiClient>> connections;
    for (unsigned c = 0; c < C; ++c) {
        connections.push_back(
            std::make_unique<client::AsyncApiClient>(io.get_executor(), job.server, job.client, stats));
        asio::co_spawn(io, download(*connections.back()), [&, api = connections.back().get()](std::exception_ptr e) {
            api->finish();
            if (e) client::count_exception(stats, e, client::Stage::get);
            if (--running == 0) stop.finish();  // the last downloader out: run() may return
        });
    }
    stop.start();
    io.run();
}

}  // namespace billion::strategies
