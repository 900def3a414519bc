// Strategy `combo`: P processes, each running its own Asio loop with C requests in flight.
// The parent owns only the pagination tokens: a worker takes a token, lists that page, sends
// the next token back as soon as the page's shape is read, then downloads the page's files. Only tokens and summaries
// cross process boundaries, as in the talk. The roles are token_worker's; this file is their
// transport: pipes between forked processes (cluster.cpp is the same over MPI).
#include <poll.h>

#include <boost/asio/posix/stream_descriptor.hpp>

#include <deque>

#include "client/processes/async_ipc.hpp"
#include "client/processes/worker_pool.hpp"
#include "strategies/strategy.hpp"
#include "strategies/token_worker.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

// The longest one poll of the report pipes waits: the owner's loop also hands out tokens.
constexpr int kReportPollMs = 100;

// A worker's link: tokens arrive on its control pipe (read inside its loop), words leave on
// its report pipe.
class WorkerPipes final : public WorkerLink {
public:
    WorkerPipes(asio::io_context& io, client::WorkerEnds ends) : control_(io, ends.control), report_(ends.report) {}
    asio::awaitable<std::optional<std::string>> next_token() override {
        auto m = co_await client::async_recv_message(control_);
        if (!m || m->type != kToken) co_return std::nullopt;  // the parent closed the pipe: the end
        co_return std::move(m->payload);
    }
    bool tell(TokenMsg m, std::string_view payload) override { return client::send_message(report_, m, payload); }
    void wait_for_end() override {
        client::Message m;
        while (client::recv_message(control_.native_handle(), m)) {
        }
    }

private:
    asio::posix::stream_descriptor control_;
    int report_;
};

// A worker process: the token worker on its own loop, its counters to the parent at the end.
int worker(const Job& job, client::WorkerEnds ends) {
    client::worker_starts();
    client::WorkerStats stats;
    asio::io_context io(1);
    WorkerPipes link(io, ends);
    run_token_worker(io, job, link, stats);
    return client::worker_ends(ends.report, stats);
}

// The owner's link: a token down a worker's control pipe; words read from every report pipe.
class OwnerPipes final : public OwnerLink {
public:
    explicit OwnerPipes(std::vector<client::WorkerPool::Worker>& workers) : workers_(workers) {}
    std::size_t workers() const override { return workers_.size(); }
    bool send_token(std::size_t w, const std::string& token) override {
        return client::send_message(workers_[w].control, kToken, token);
    }
    std::optional<Word> next_word() override {
        if (heard_.empty()) listen();
        if (heard_.empty()) return std::nullopt;
        Word w = std::move(heard_.front());
        heard_.pop_front();
        return w;
    }
    void end_all(client::WorkerStats&) override {}  // collect() closes the control pipes

private:
    // One poll of every report pipe (kReportPollMs at most); a worker whose pipe ends, or that sends
    // its counters now, is lost.
    void listen() {
        std::vector<pollfd> fds;
        for (const auto& w : workers_)
            fds.push_back({w.report, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), kReportPollMs) <= 0) return;
        for (std::size_t i = 0; i < workers_.size(); ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            client::Message m;
            const bool lost = !client::recv_message(workers_[i].report, m) || m.type == client::kStatsMessage;
            heard_.push_back({i, lost ? kLost : m.type, std::move(m.payload)});
        }
    }
    std::vector<client::WorkerPool::Worker>& workers_;
    std::deque<Word> heard_;
};

}  // namespace

Result run_combo(const Job& job) {
    Result result;
    client::WorkerPool pool(job.process_count(), /*with_control=*/true,
                            [&](client::WorkerEnds ends) { return worker(job, ends); });

    // list + hand off (in the parent): tokens only; download + write happen in the workers.
    OwnerPipes link(pool.workers());
    own_tokens(job, link, result.stats);

    // collect: no more tokens; each worker drains its queue, then sends its counters.
    result.children_ok = pool.collect(result.stats);
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
