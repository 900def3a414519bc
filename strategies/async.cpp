// Strategy `async`: one thread, one Boost.Asio io_context. A lister coroutine lists the next
// page while C downloader coroutines, each on its own keep-alive connection, fetch this one's
// files; a bounded queue between them holds at most two pages of names.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <vector>

#include "client/async_api.hpp"
#include "client/async_queue.hpp"
#include "client/errors.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {
constexpr std::size_t kQueuedNames = 2000;  // about two pages of the default size
}

Result run_async(const Job& job) {
    Result result;
    client::WorkerStats& stats = result.stats;  // one thread: one set of counters
    asio::io_context io(1);
    auto sink = client::open_sink(job.sink);
    client::AsyncQueue<std::string> queue(io.get_executor(), std::max<std::size_t>(kQueuedNames, 2 * job.knobs.concurrency));
    std::vector<std::unique_ptr<client::AsyncApiClient>> connections;

    // list + hand off: page after page, into the queue (waits while it is full).
    auto lister = [&]() -> asio::awaitable<void> {
        client::AsyncApiClient api(io.get_executor(), job.server, job.client, stats);
        auto walk = job.walk();
        while (!job.stopping()) {
            auto page = co_await api.next_page(walk);
            if (!page) break;
            for (auto& name : page->names) co_await queue.push(std::move(name));
        }
        queue.close();
    };

    // download + write: each downloader awaits one request at a time on its own connection.
    auto downloader = [&](client::AsyncApiClient& api) -> asio::awaitable<void> {
        while (auto name = co_await queue.pop()) {
            if (auto bytes = co_await api.get(*name)) sink->write(*name, *bytes, stats);
        }
    };

    // Ctrl-C: drop what is queued; requests in flight finish. The watcher ends with the last
    // downloader (a tick already due when it is cancelled must not re-arm it).
    unsigned running = std::max(1u, job.knobs.concurrency);
    asio::steady_timer watch(io);
    std::function<void()> check_stop = [&] {
        if (running == 0) return;
        if (job.stopping()) return queue.clear_and_close();
        watch.expires_after(std::chrono::milliseconds(50));
        watch.async_wait([&](boost::system::error_code ec) { if (!ec) check_stop(); });
    };

    asio::co_spawn(io, lister(), [&](std::exception_ptr e) {
        if (e) stats.fail(client::Stage::list, client::describe(e), true), queue.clear_and_close();
    });
    for (unsigned c = 0; c < std::max(1u, job.knobs.concurrency); ++c) {
        connections.push_back(std::make_unique<client::AsyncApiClient>(io.get_executor(), job.server, job.client, stats));
        asio::co_spawn(io, downloader(*connections.back()), [&](std::exception_ptr e) {
            if (e) stats.fail(client::Stage::get, client::describe(e));
            // The last downloader out stops the stop-watcher, so run() returns.
            if (--running == 0) watch.cancel();
        });
    }
    check_stop();
    io.run();
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
