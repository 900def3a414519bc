// Strategy `cluster`: combo's design across MPI ranks, which may run on other hosts. Rank 0
// owns only the pagination tokens; every other rank runs its own Asio loop with C requests in
// flight: it takes a token, lists that page, sends the next token back at once, then downloads
// the page's files into its own sink. Only tokens cross between ranks while they work, and at
// the end each rank's counters, in one gather. Each downloading rank is the `async` strategy,
// except that its tokens come from rank 0. This is the MPI program (billion-cluster);
// cluster_launch.cpp starts it through mpirun.
#include "strategies/cluster.hpp"

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "client/async_queue.hpp"
#include "client/ipc.hpp"
#include "client/mpi_link.hpp"
#include "client/sink.hpp"
#include "client/stored.hpp"
#include "strategies/event_loop.hpp"
#include "strategies/token_chain.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

constexpr int kOwner = 0;  // the rank that owns the tokens
constexpr std::size_t kQueuedNames = 4096;
constexpr unsigned kOut = ~0u;  // pages held by a rank that could not start: never handed more

struct Task {
    std::string name;
    std::shared_ptr<std::size_t> page_left;  // files of its page not yet done
};

// Every message a rank sends is checked: an owner that cannot hear it cannot go on.
void tell(TokenMsg m, client::WorkerStats& stats, std::string_view payload = {}) {
    if (!client::send_to_rank(kOwner, m, payload)) stats.fail(client::Stage::protocol, "cannot report to rank 0", true);
}

// list + hand off (in a downloading rank): for each token rank 0 sends, list that page, send
// its NextMarker back at once (so another rank can list on), then queue the page's files.
asio::awaitable<void> list_pages(client::AsyncApiClient& api, const Job& job, client::AsyncQueue<Task>& queue,
                                 client::Backoff& backoff, client::WorkerStats& stats) {
    client::RecentNames recent;                 // of the pages this rank listed
    std::optional<client::StoredIndex> stored;  // resume: opened at the first page, in this rank
    for (;;) {
        auto m = co_await client::async_recv_from(kOwner, backoff);
        if (m.type != kToken) break;
        auto page = co_await api.list(m.payload);
        if (!page) {
            tell(kFailed, stats);
            continue;
        }
        if (page->next)
            tell(kNext, stats, *page->next);
        else
            tell(kLast, stats);
        recent.drop_repeats(*page, stats);
        if (job.resume_from) {
            if (!stored) stored.emplace(job.sink);
            client::drop_stored(*page, *stored, stats);
        }
        auto left = std::make_shared<std::size_t>(page->names.size());
        if (page->names.empty()) tell(kPageDone, stats);
        for (auto& name : page->names) {
            Task task{std::move(name), left};  // named: GCC 12 frees aggregate temporaries in co_await too early
            co_await queue.push(std::move(task));
        }
    }
    queue.close();  // rank 0 said the end: no more pages
}

// download + write (in a downloading rank): one request at a time on this downloader's own
// connection; rank 0 hears when a page is done, so it can hand this rank another (the lister
// looks for it at once).
asio::awaitable<void> download_files(client::AsyncApiClient& api, client::AsyncQueue<Task>& queue, client::Sink& sink,
                                     client::Backoff& backoff, client::WorkerStats& stats) {
    while (auto task = co_await queue.pop()) {
        if (auto bytes = co_await api.get(task->name)) sink.write(task->name, *bytes, stats);
        if (--*task->page_left == 0) {
            tell(kPageDone, stats);
            backoff.reset();
        }
    }
}

// A downloading rank: the `async` strategy's loop, its tokens from rank 0.
void download_rank(const Job& job, client::WorkerStats& stats) {
    std::unique_ptr<client::Sink> sink;
    try {
        sink = client::open_sink(job.sink);
    } catch (...) {
        // This rank cannot write: rank 0 hands it nothing and ends the run; it still reports.
        client::count_exception(stats, std::current_exception(), client::Stage::write, true);
        tell(kGone, stats);
        client::Backoff backoff;
        while (client::recv_polling(kOwner, backoff).type != kEnd) {
        }
        return;
    }
    asio::io_context io(1);
    client::AsyncQueue<Task> queue(io.get_executor(), kQueuedNames);
    client::Backoff backoff;  // how long the lister waits between two looks for rank 0's word

    // list + hand off: the pages rank 0 hands this rank; download + write: C coroutines.
    // stop: Ctrl-C drops what is queued; requests in flight finish.
    run_event_loop(
        io, job, stats, [&](client::AsyncApiClient& api) { return list_pages(api, job, queue, backoff, stats); },
        [&](client::AsyncApiClient& api) { return download_files(api, queue, *sink, backoff, stats); },
        [&] { queue.clear_and_close(); });
}

// The token owner (rank 0): the pending token to the least busy rank; its answer moves the
// chain on. list + hand off happen here only as tokens; download + write in the other ranks.
void own_tokens(const Job& job, int ranks, client::WorkerStats& stats) {
    std::vector<unsigned> pages(static_cast<std::size_t>(ranks - 1), 0);  // pages each rank holds
    TokenChain chain(job, stats);
    client::Backoff backoff{.first = std::chrono::microseconds(5), .most = std::chrono::microseconds(100)};
    for (;;) {
        if (job.stopping()) chain.stop();
        if (chain.state() == TokenChain::State::waiting) {
            if (auto idle = least_busy(pages); idle < pages.size()) {
                if (auto token = chain.take()) {
                    if (client::send_to_rank(static_cast<int>(idle) + 1, kToken, *token))
                        ++pages[idle];
                    else
                        chain.fail("cannot send a token to rank " + std::to_string(idle + 1));
                }
            }
        }
        bool busy = false;
        for (auto p : pages)
            busy = busy || (p > 0 && p != kOut);
        // stop: with a stop request, what the ranks hold is theirs to drop.
        if (chain.state() == TokenChain::State::ended && (!busy || job.stopping())) break;

        auto m = client::try_recv_from(MPI_ANY_SOURCE);
        if (!m) {
            std::this_thread::sleep_for(backoff.take());
            continue;
        }
        backoff.reset();
        auto& held = pages[static_cast<std::size_t>(m->from - 1)];
        if (m->type == kGone) {
            held = kOut;
            chain.fail("rank " + std::to_string(m->from) + " could not start");
            continue;
        }
        if (m->type == kPageDone || m->type == kFailed) --held;  // a failed page never came
        if (m->type != kPageDone) chain.listed(m->type, m->payload);
    }
    // No more tokens: each rank drains its queue, then joins the gather.
    for (int r = 1; r < ranks; ++r)
        if (!client::send_to_rank(r, kEnd)) stats.fail(client::Stage::protocol, "cannot end rank " + std::to_string(r));
}

}  // namespace

std::optional<client::WorkerStats> run_cluster_rank(const Job& job) {
    int rank = 0, ranks = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    client::WorkerStats stats;
    if (rank == kOwner)
        own_tokens(job, ranks, stats);
    else
        download_rank(job, stats);

    // collect: every rank's counters (with its memory peak) to rank 0, in one gather.
    client::record_own_peak_rss(stats);
    std::vector<client::WorkerStats> all(rank == kOwner ? static_cast<std::size_t>(ranks) : 0);
    MPI_Request gather;
    constexpr int kBytes = sizeof(client::WorkerStats);
    MPI_Igather(&stats, kBytes, MPI_BYTE, all.data(), kBytes, MPI_BYTE, kOwner, MPI_COMM_WORLD, &gather);
    client::wait_polling(gather);
    if (rank != kOwner) return std::nullopt;
    client::WorkerStats merged;
    for (const auto& s : all)
        merged.merge(s);
    return merged;
}

}  // namespace billion::strategies
