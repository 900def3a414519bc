// Strategy `async`: one thread, one Boost.Asio io_context. A lister coroutine lists the next
// page while C downloader coroutines, each on its own keep-alive connection, fetch this one's
// files; a bounded queue between them holds at most two pages of names.
#include "client/async_queue.hpp"
#include "client/sinks/sink.hpp"
#include "strategies/event_loop.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

// list + hand off: page after page, from the first (or the resume token), into the queue;
// waits while the queue is full. Closes the queue at the end of the listing.
asio::awaitable<void> list_pages(client::AsyncApiClient& api, client::PageWalk walk, const Job& job,
                                 client::AsyncQueue<std::string>& queue) {
    while (!job.stopping()) {
        auto page = co_await api.next_page(walk);
        if (!page) break;
        for (auto& name : page->names)
            co_await queue.push(std::move(name));
    }
    queue.close();
}

// download + write: one request at a time on this downloader's own connection.
asio::awaitable<void> download_files(client::AsyncApiClient& api, client::AsyncQueue<std::string>& queue,
                                     client::Sink& sink, client::WorkerStats& stats) {
    while (auto name = co_await queue.pop()) {
        if (auto bytes = co_await api.get(*name)) sink.write(*name, *bytes, stats);
    }
}

}  // namespace

Result run_async(const Job& job) {
    Result result;
    client::WorkerStats& stats = result.stats;  // one thread: one set of counters
    asio::io_context io(1);
    auto sink = client::open_sink_counted(job.sink, stats);
    if (!sink) return result;  // cannot write: counted, nothing to download
    client::AsyncQueue<std::string> queue(io.get_executor(), queued_names(job));

    // list + hand off: one lister coroutine; download + write: C downloader coroutines.
    // stop: Ctrl-C drops what is queued; requests in flight finish.
    run_event_loop(
        io, job, stats, [&](client::AsyncApiClient& api) { return list_pages(api, job.walk(), job, queue); },
        [&](client::AsyncApiClient& api) { return download_files(api, queue, *sink, stats); },
        [&] { queue.clear_and_close(); });

    // collect: one thread, one set of counters, nothing to merge.
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
