// Strategy `combo`: P processes, each running its own Asio loop with C requests in flight.
// The parent owns only the pagination tokens: a worker takes a token, lists that page, sends
// the next token back at once, then downloads the page's files. Only tokens and summaries
// cross process boundaries, as in the talk. Each worker is the `async` strategy, except that
// its tokens come from the parent.
#include <poll.h>

#include <boost/asio/posix/stream_descriptor.hpp>

#include <memory>
#include <optional>
#include <vector>

#include "client/async_ipc.hpp"
#include "client/async_queue.hpp"
#include "client/sink.hpp"
#include "client/stored.hpp"
#include "client/worker_pool.hpp"
#include "strategies/event_loop.hpp"
#include "strategies/strategy.hpp"
#include "strategies/token_chain.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kQueuedNames = 4096;

struct Task {
    std::string name;
    std::shared_ptr<std::size_t> page_left;  // files of its page not yet done
};

// Every message a worker sends is checked: a parent that cannot hear it cannot go on.
void tell(int report, TokenMsg m, client::WorkerStats& stats, std::string_view payload = {}) {
    if (!client::send_message(report, m, payload))
        stats.fail(client::Stage::protocol, "cannot report to the parent", true);
}

// list + hand off (in a worker): for each token the parent sends, list that page, send its
// NextMarker back at once (so another worker can list on), then queue the page's files.
asio::awaitable<void> list_pages(client::AsyncApiClient& api, int control, int report, const Job& job,
                                 client::AsyncQueue<Task>& queue, client::WorkerStats& stats) {
    asio::posix::stream_descriptor in(co_await asio::this_coro::executor, control);
    client::RecentNames recent;                 // of the pages this worker listed
    std::optional<client::StoredIndex> stored;  // resume: opened at the first page, in this worker
    while (auto m = co_await client::async_recv_message(in)) {
        if (m->type != kToken) break;
        auto page = co_await api.list(m->payload);
        if (!page) {
            tell(report, kFailed, stats);
            continue;
        }
        if (page->next)
            tell(report, kNext, stats, *page->next);
        else
            tell(report, kLast, stats);
        recent.drop_repeats(*page, stats);
        if (job.resume_from) {
            if (!stored) stored.emplace(job.sink);
            client::drop_stored(*page, *stored, stats);
        }
        auto left = std::make_shared<std::size_t>(page->names.size());
        if (page->names.empty()) tell(report, kPageDone, stats);
        for (auto& name : page->names) {
            Task task{std::move(name), left};  // named: GCC 12 frees aggregate temporaries in co_await too early
            co_await queue.push(std::move(task));
        }
    }
    queue.close();  // the parent closed the pipe: no more pages
}

// download + write (in a worker): one request at a time on this downloader's own connection;
// the parent hears when a page is done, so it can hand this worker another.
asio::awaitable<void> download_files(client::AsyncApiClient& api, client::AsyncQueue<Task>& queue, client::Sink& sink,
                                     int report, client::WorkerStats& stats) {
    while (auto task = co_await queue.pop()) {
        if (auto bytes = co_await api.get(task->name)) sink.write(task->name, *bytes, stats);
        if (--*task->page_left == 0) tell(report, kPageDone, stats);
    }
}

// A worker process: the `async` strategy's loop, its tokens from the parent.
int worker(const Job& job, client::WorkerEnds ends) {
    client::worker_starts();
    client::WorkerStats stats;
    asio::io_context io(1);
    auto sink = client::open_sink(job.sink);
    client::AsyncQueue<Task> queue(io.get_executor(), kQueuedNames);

    // list + hand off: the pages the parent hands this worker; download + write: C coroutines.
    // stop: Ctrl-C drops what is queued; requests in flight finish.
    run_event_loop(
        io, job, stats,
        [&](client::AsyncApiClient& api) { return list_pages(api, ends.control, ends.report, job, queue, stats); },
        [&](client::AsyncApiClient& api) { return download_files(api, queue, *sink, ends.report, stats); },
        [&] { queue.clear_and_close(); });

    // collect: this worker's counters go to the parent.
    return client::worker_ends(ends.report, stats);
}

}  // namespace

Result run_combo(const Job& job) {
    Result result;
    client::WorkerPool pool(job.process_count(), /*with_control=*/true,
                            [&](client::WorkerEnds ends) { return worker(job, ends); });
    auto& workers = pool.workers();
    std::vector<unsigned> pages(workers.size(), 0);  // pages each worker holds
    TokenChain chain(job, result.stats);

    // list + hand off (in the parent): the pending token to the least busy worker; its answer
    // moves the chain on. download + write happen in the workers.
    for (;;) {
        if (job.stopping()) chain.stop();
        if (chain.state() == TokenChain::State::waiting) {
            if (auto idle = least_busy(pages); idle < workers.size()) {
                if (auto token = chain.take()) {
                    if (client::send_message(workers[idle].control, kToken, *token))
                        ++pages[idle];
                    else
                        chain.fail("cannot send a token to a worker");
                }
            }
        }
        bool busy = false;
        for (auto p : pages)
            busy = busy || p > 0;
        // stop: with a stop request, what the workers hold is theirs to drop.
        if (chain.state() == TokenChain::State::ended && (!busy || job.stopping())) break;

        std::vector<pollfd> fds;
        for (const auto& w : workers)
            fds.push_back({w.report, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), 100) <= 0) continue;
        bool lost = false;
        for (std::size_t i = 0; i < workers.size() && !lost; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            client::Message m;
            if (!client::recv_message(workers[i].report, m) || m.type == client::kStatsMessage) {
                // A worker that ends now has died: what it held is lost, the chain cannot go on.
                chain.fail("a worker process ended early");
                lost = true;
                continue;
            }
            if (m.type == kPageDone || m.type == kFailed) --pages[i];  // a failed page never came
            if (m.type != kPageDone) chain.listed(m.type, m.payload);
        }
        if (lost) break;
    }

    // collect: no more tokens; each worker drains its queue, then sends its counters.
    result.children_ok = pool.collect(result.stats);
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
