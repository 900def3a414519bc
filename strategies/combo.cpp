// Strategy `combo`: P processes, each running its own Asio loop with C requests in flight.
// The parent owns only the pagination tokens: a worker takes a token, lists that page, sends
// the next token back at once, then downloads the page's files. Only tokens and summaries
// cross process boundaries, as in the talk.
#include <poll.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstring>
#include <memory>
#include <vector>

#include "client/async_api.hpp"
#include "client/async_queue.hpp"
#include "client/errors.hpp"
#include "client/ipc.hpp"
#include "client/listing.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

// Parent -> worker: a token to list. Worker -> parent: what became of it, and the stats.
enum Msg : std::uint8_t { kToken = 'T', kNext = 'N', kLast = 'L', kFailed = 'F', kPageDone = 'D', kStats = 'S' };
constexpr unsigned kPagesInHand = 2;      // pages a worker may hold: one downloading, one listed ahead
constexpr std::size_t kQueuedNames = 4096;

struct Task {
    std::string name;
    std::shared_ptr<std::size_t> page_left;  // files of its page not yet done
};

int worker(const Job& job, int control, int report) {
    client::leave_stops_to_parent();
    client::reset_own_peak_rss();
    asio::io_context io(1);
    client::WorkerStats stats;
    auto sink = client::open_sink(job.sink);
    client::AsyncQueue<Task> queue(io.get_executor(), kQueuedNames);
    auto tell = [&](Msg m, std::string_view payload = {}) { client::send_message(report, m, payload); };

    // list + hand off: for each token the parent sends, list the page, send its NextMarker
    // back at once (so another worker can list on), then queue the page's files.
    auto lister = [&]() -> asio::awaitable<void> {
        client::AsyncApiClient api(io.get_executor(), job.server, job.client, stats);
        client::RecentNames recent;  // of the pages this worker listed
        asio::posix::stream_descriptor in(io, control);
        // Declared outside the loop: GCC 12 mishandles some loop-scoped locals of coroutines.
        std::uint32_t size = 0;
        std::uint8_t type = 0;
        std::string token;
        boost::system::error_code ec;
        for (;;) {
            co_await asio::async_read(in, asio::buffer(&size, 4), asio::redirect_error(asio::use_awaitable, ec));
            if (!ec) co_await asio::async_read(in, asio::buffer(&type, 1), asio::redirect_error(asio::use_awaitable, ec));
            token.assign(size, '\0');
            if (!ec && size) co_await asio::async_read(in, asio::buffer(token), asio::redirect_error(asio::use_awaitable, ec));
            if (ec || type != kToken) break;  // the parent closed the pipe: no more pages

            auto page = co_await api.list(token);
            if (!page) {
                tell(kFailed);
                continue;
            }
            if (page->next) tell(kNext, *page->next);
            else tell(kLast);
            recent.drop_repeats(*page, stats);
            if (job.resume_from) client::drop_stored(*page, job.sink, stats);
            auto left = std::make_shared<std::size_t>(page->names.size());
            if (page->names.empty()) tell(kPageDone);
            for (auto& name : page->names) {
                Task task{std::move(name), left};  // named: GCC 12 frees aggregate temporaries in co_await too early
                co_await queue.push(std::move(task));
            }
        }
        queue.close();
    };

    // download + write: C downloaders, each on its own connection.
    auto downloader = [&](client::AsyncApiClient& api) -> asio::awaitable<void> {
        while (auto task = co_await queue.pop()) {
            if (!job.stopping()) {
                if (auto bytes = co_await api.get(task->name)) sink->write(task->name, *bytes, stats);
            }
            if (--*task->page_left == 0) tell(kPageDone);
        }
    };

    std::vector<std::unique_ptr<client::AsyncApiClient>> connections;
    asio::co_spawn(io, lister(), [&](std::exception_ptr e) {
        if (e) stats.fail(client::Stage::list, client::describe(e), true), queue.clear_and_close();
    });
    for (unsigned c = 0; c < std::max(1u, job.knobs.concurrency); ++c) {
        connections.push_back(std::make_unique<client::AsyncApiClient>(io.get_executor(), job.server, job.client, stats));
        asio::co_spawn(io, downloader(*connections.back()), [&](std::exception_ptr e) {
            if (e) stats.fail(client::Stage::get, client::describe(e));
        });
    }
    io.run();
    client::record_own_peak_rss(stats);
    return client::send_message(report, kStats, client::as_bytes(stats)) ? 0 : 1;
}

}  // namespace

Result run_combo(const Job& job) {
    Result result;
    const unsigned P = job.process_count();
    struct Child {
        pid_t pid;
        int control;  // parent writes tokens
        int report;   // parent reads answers
        unsigned pages = 0;
        bool alive = true;
    };
    std::vector<Child> children;
    for (unsigned i = 0; i < P; ++i) {
        int control[2], report[2];
        client::plain_pipe(control);
        client::plain_pipe(report);
        pid_t pid = client::spawn([&] {
            for (auto& c : children) ::close(c.control), ::close(c.report);
            ::close(control[1]);
            ::close(report[0]);
            return worker(job, control[0], report[1]);
        });
        ::close(control[0]);
        ::close(report[1]);
        children.push_back({pid, control[1], report[0]});
    }

    // The token chain, owned here: one page is being listed at a time, by the least busy worker.
    client::WorkerStats& stats = result.stats;
    auto walk = job.walk();
    bool listing = false, ended = false;
    while (true) {
        if (!listing && !ended && !walk.done() && !job.stopping()) {
            Child* idle = nullptr;
            for (auto& c : children)
                if (c.alive && c.pages < kPagesInHand && (!idle || c.pages < idle->pages)) idle = &c;
            if (idle) {
                client::send_message(idle->control, kToken, *walk.pending());
                ++idle->pages;
                listing = true;
            }
        }
        bool busy = false;
        for (auto& c : children) busy = busy || (c.alive && c.pages > 0);
        if (!listing && (!busy || job.stopping()) && (ended || walk.done() || job.stopping())) break;

        std::vector<pollfd> fds;
        for (auto& c : children) fds.push_back({c.alive ? c.report : -1, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), 100) <= 0) continue;
        for (std::size_t i = 0; i < children.size(); ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            Child& c = children[i];
            client::Message m;
            if (!client::recv_message(c.report, m) || m.type == kStats) {
                // A worker that ends now has died: what it held is lost, the chain cannot go on.
                c.alive = false;
                c.pages = 0;
                listing = false;
                ended = true;
                stats.fail(client::Stage::protocol, "a worker process ended early", true);
                continue;
            }
            std::string error;
            switch (m.type) {
                case kNext:
                    listing = false;
                    if (!walk.advance(m.payload, error)) stats.fail(client::Stage::protocol, error, true);
                    break;
                case kLast:
                    listing = false;
                    walk.stop();
                    break;
                case kFailed:  // the worker counted the failure; the chain ends here
                    listing = false;
                    ended = true;
                    --c.pages;  // the page it was given never came
                    break;
                case kPageDone: --c.pages; break;
            }
        }
    }

    // No more tokens: each worker drains its queue, then sends its stats.
    for (auto& c : children) ::close(c.control);
    for (auto& c : children) {
        client::Message m;
        client::WorkerStats ws;
        bool got = false;
        while (client::recv_message(c.report, m)) {
            if (m.type == kStats) {
                got = client::from_bytes(m.payload, ws);
                break;
            }
        }
        if (got) stats.merge(ws);
        ::close(c.report);
        result.children_ok = client::reap(c.pid) && got && result.children_ok;
    }
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
