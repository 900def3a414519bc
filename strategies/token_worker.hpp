// The two roles of the token design, shared by `combo` (processes and pipes) and `cluster`
// (MPI ranks): a worker lists the page whose token it is given, hands the next token back at
// once and downloads the page into its own sink; the owner holds only the tokens and hands
// each to the least busy worker. The roles are written once, against a link; each strategy
// brings only its transport.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "client/stats.hpp"
#include "strategies/job.hpp"
#include "strategies/token_chain.hpp"

namespace billion::strategies {

// A worker's side of the transport.
class WorkerLink {
public:
    virtual ~WorkerLink() = default;
    // The owner's next token; nothing once the owner says the end (or cannot be heard).
    virtual boost::asio::awaitable<std::optional<std::string>> next_token() = 0;
    // A word to the owner (kNext, kLast, kFailed, kPageDone, kGone). False when it cannot hear.
    virtual bool tell(TokenMsg m, std::string_view payload = {}) = 0;
    // A worker that cannot work waits here, outside any loop, until the owner says the end.
    virtual void wait_for_end() = 0;
};

// A worker: the `async` strategy's loop on io, its tokens through link. A sink that cannot be
// opened is counted (write, fatal) and sent to the owner as kGone with its cause.
void run_token_worker(boost::asio::io_context& io, const Job& job, WorkerLink& link, client::WorkerStats& stats);

// The owner's side of the transport, to `workers()` workers numbered from 0.
class OwnerLink {
public:
    struct Word {
        std::size_t worker = 0;
        unsigned char type = 0;  // a TokenMsg, or kLost: the worker is gone without a word
        std::string payload;
    };
    static constexpr unsigned char kLost = 0;

    virtual ~OwnerLink() = default;
    virtual std::size_t workers() const = 0;
    virtual bool send_token(std::size_t worker, const std::string& token) = 0;
    // The next word from any worker; nothing when none came within a short wait.
    virtual std::optional<Word> next_word() = 0;
    // No more tokens: each worker drains what it holds, then reports.
    virtual void end_all(client::WorkerStats& stats) = 0;
};

// The owner: hands the chain's pending token to the least busy worker and moves the chain on
// with each answer, until the listing ends (or a stop, or a worker that is lost or gone).
void own_tokens(const Job& job, OwnerLink& link, client::WorkerStats& stats);

}  // namespace billion::strategies
