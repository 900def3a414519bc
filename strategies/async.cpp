// Strategy `async`: one thread, one Boost.Asio io_context. A lister coroutine lists the next
// page while C downloader coroutines, each on its own keep-alive connection, fetch this one's
// files (with --pipeline N, N requests at a time on each); a bounded queue between them holds
// at most two pages of names. With the files sink a writer thread creates the files the
// loop downloaded, so the loop never waits for a disk (client/sinks/writer_thread.hpp).
#include "client/async_queue.hpp"
#include "client/sinks/writer_thread.hpp"
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

// download + write: on this downloader's own connection, one request at a time, or up to
// --pipeline of them written before their answers are read.
asio::awaitable<void> download_files(client::AsyncApiClient& api, client::AsyncQueue<std::string>& queue,
                                     client::Sink& sink, client::WorkerStats& stats, unsigned pipeline) {
    std::vector<std::string> batch;
    std::vector<std::string_view> names;
    while (co_await queue.pop_some(batch, pipeline)) {
        names.assign(batch.begin(), batch.end());
        co_await api.get_all(names);
        for (std::size_t k = 0; k < batch.size(); ++k)
            if (auto bytes = api.file(k)) sink.write(batch[k], *bytes, stats);
    }
}

}  // namespace

Result run_async(const Job& job) {
    Result result;
    client::WorkerStats& stats = result.stats;  // the loop's counters; a writer thread's join them at the end
    asio::io_context io(1);
    auto sink = client::open_writer_sink_counted(job.sink, stats);  // the loop never waits for a disk
    if (!sink) return result;                                       // cannot write: counted, nothing to download
    client::AsyncQueue<std::string> queue(io.get_executor(), queued_names(job));

    // list + hand off: one lister coroutine; download + write: C downloader coroutines.
    // stop: Ctrl-C drops what is queued; requests in flight finish.
    run_event_loop(
        io, job, stats, [&](client::AsyncApiClient& api) { return list_pages(api, job.walk(), job, queue); },
        [&](client::AsyncApiClient& api) { return download_files(api, queue, *sink, stats, job.knobs.pipeline); },
        [&] { queue.clear_and_close(); });

    // collect: the writer thread's counts join the loop's.
    sink->close(stats);
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
