// The worker and the owner of the token design (see token_worker.hpp).
#include "strategies/token_worker.hpp"

#include <memory>
#include <vector>

#include "client/async_queue.hpp"
#include "client/errors.hpp"
#include "client/sinks/stored.hpp"
#include "client/sinks/writer_thread.hpp"
#include "strategies/event_loop.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

struct Task {
    std::string name;
    std::shared_ptr<std::size_t> page_left;  // files of its page not yet done
};

// Every word a worker sends is checked: an owner that cannot hear it cannot go on.
void tell(WorkerLink& link, TokenMsg m, client::WorkerStats& stats, std::string_view payload = {}) {
    if (!link.tell(m, payload)) stats.fail(client::Stage::protocol, "cannot report to the token owner", true);
}

// list + hand off (in a worker): for each token the owner sends, list that page, send its
// NextMarker back as soon as the page's shape is read, before its names are checked (so
// another worker can list on), then queue the page's files.
asio::awaitable<void> list_pages(client::AsyncApiClient& api, WorkerLink& link, const Job& job,
                                 client::AsyncQueue<Task>& queue, client::WorkerStats& stats) {
    client::RecentNames recent;                 // of the pages this worker listed
    std::optional<client::StoredIndex> stored;  // resume: opened at the first page, in this worker
    while (auto token = co_await link.next_token()) {
        auto page = co_await api.list(*token, [&](const std::optional<std::string>& next) {
            if (next)
                tell(link, kNext, stats, *next);
            else
                tell(link, kLast, stats);
        });
        if (!page) {
            tell(link, kFailed, stats);
            continue;
        }
        recent.drop_repeats(*page, stats);
        if (job.resume_from) {
            if (!stored) stored.emplace(job.sink);
            client::drop_stored(*page, *stored, stats);
        }
        auto left = std::make_shared<std::size_t>(page->names.size());
        if (page->names.empty()) tell(link, kPageDone, stats);
        for (auto& name : page->names) {
            Task task{std::move(name), left};  // named: GCC 12 frees aggregate temporaries in co_await too early
            co_await queue.push(std::move(task));
        }
    }
    queue.close();  // the owner said the end: no more pages
}

// download + write (in a worker): on this downloader's own connection, one request at a
// time, or up to --pipeline of them written before their answers are read; the owner hears
// when a page is done, so it can hand this worker another.
asio::awaitable<void> download_files(client::AsyncApiClient& api, client::AsyncQueue<Task>& queue, client::Sink& sink,
                                     WorkerLink& link, client::WorkerStats& stats, unsigned pipeline) {
    std::vector<Task> batch;
    std::vector<std::string_view> names;
    while (co_await queue.pop_some(batch, pipeline)) {
        names.clear();
        for (const auto& task : batch)
            names.push_back(task.name);
        co_await api.get_all(names);
        for (std::size_t k = 0; k < batch.size(); ++k) {
            if (auto bytes = api.file(k)) sink.write(batch[k].name, *bytes, stats);
            if (--*batch[k].page_left == 0) tell(link, kPageDone, stats);
        }
    }
}

}  // namespace

void run_token_worker(asio::io_context& io, const Job& job, WorkerLink& link, client::WorkerStats& stats) {
    auto sink = client::open_writer_sink_counted(job.sink, stats);  // the loop never waits for a disk
    if (!sink) {
        // This worker cannot write: the owner hears why, hands it nothing and ends the run.
        tell(link, kGone, stats, stats.first_error);
        link.wait_for_end();
        return;
    }
    client::AsyncQueue<Task> queue(io.get_executor(), queued_names(job));

    // list + hand off: the pages the owner hands this worker; download + write: C coroutines.
    // stop: Ctrl-C drops what is queued; requests in flight finish.
    run_event_loop(
        io, job, stats, [&](client::AsyncApiClient& api) { return list_pages(api, link, job, queue, stats); },
        [&](client::AsyncApiClient& api) { return download_files(api, queue, *sink, link, stats, job.knobs.pipeline); },
        [&] { queue.clear_and_close(); });
    sink->close(stats);  // the writer thread's counts join the loop's
}

void own_tokens(const Job& job, OwnerLink& link, client::WorkerStats& stats) {
    constexpr unsigned kOut = ~0u;                   // pages held by a worker that is gone: never handed more
    std::vector<unsigned> pages(link.workers(), 0);  // pages each worker holds
    TokenChain chain(job, stats);
    for (;;) {
        if (job.stopping()) chain.stop();
        if (chain.state() == TokenChain::State::waiting) {
            if (auto idle = least_busy(pages); idle < pages.size()) {
                if (auto token = chain.take()) {
                    if (link.send_token(idle, *token))
                        ++pages[idle];
                    else
                        chain.fail("cannot send a token to worker " + std::to_string(idle));
                }
            }
        }
        bool busy = false;
        for (auto p : pages)
            busy = busy || (p > 0 && p != kOut);
        // stop: with a stop request, what the workers hold is theirs to drop.
        if (chain.state() == TokenChain::State::ended && (!busy || job.stopping())) break;

        auto w = link.next_word();
        if (!w) continue;
        auto& held = pages[w->worker];
        if (w->type == OwnerLink::kLost) {
            // A worker that ends now has died: what it held is lost, the chain cannot go on.
            chain.fail("worker " + std::to_string(w->worker) + " ended early");
            break;
        }
        if (w->type == kGone) {
            held = kOut;
            chain.fail("worker " + std::to_string(w->worker) + " could not start: " + w->payload);
            continue;
        }
        if (w->type == kPageDone || w->type == kFailed) --held;  // a failed page never came
        if (w->type != kPageDone) chain.listed(w->type, w->payload);
    }
    // No more tokens: each worker drains its queue, then reports.
    link.end_all(stats);
}

}  // namespace billion::strategies
