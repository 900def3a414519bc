// The token chain of `combo` and `cluster`, owned by one process (combo's parent, cluster's
// rank 0): one page is listed at a time, by the worker the owner hands the token to; the
// worker's answer (the next token, the last page, a failure) moves the chain on. The owner
// holds only tokens: it never lists a page or downloads a file itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client/http/listing.hpp"
#include "client/stats.hpp"
#include "strategies/job.hpp"

namespace billion::strategies {

// What crosses between the owner and a worker. Owner -> worker: a token to list, or the end
// (no more tokens). Worker -> owner: what became of it; a page done; a worker that cannot work.
enum TokenMsg : unsigned char {
    kToken = 'T',
    kEnd = 'E',
    kNext = 'N',
    kLast = 'L',
    kFailed = 'F',
    kPageDone = 'D',
    kGone = 'G',
};
constexpr unsigned kPagesInHand = 2;  // pages a worker may hold: one downloading, one listed ahead

class TokenChain {
public:
    enum class State {
        waiting,  // a token is ready for the next idle worker
        listing,  // a worker is listing the page the token points at
        ended,    // the last page was listed, a listing failed, or a stop came
    };

    TokenChain(const Job& job, client::WorkerStats& stats) : walk_(job.walk()), stats_(stats) {
        if (walk_.done()) state_ = State::ended;
    }
    State state() const { return state_; }

    // The pending token, to hand to an idle worker (the chain is then listing). None when the
    // chain ends here: --max-time is up (the workers finish the pages they hold).
    std::optional<std::string> take() {
        const auto token = walk_.pending();
        if (!token && walk_.capped()) {
            stats_.capped = true;
            state_ = State::ended;
            return std::nullopt;
        }
        if (!token) {
            fail("no token to hand out");
            return std::nullopt;
        }
        state_ = State::listing;
        handed_ = std::chrono::steady_clock::now();
        return token;
    }
    // What a worker said of the page it listed: kNext with the next token, kLast or kFailed.
    void listed(unsigned char type, const std::string& payload) {
        if (state_ == State::ended) return;  // a word that crossed the chain's end: it stays ended
        ++stats_.chain_steps;
        stats_.chain_step_ns += static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - handed_).count());
        switch (type) {
            case kNext: {
                auto moved = walk_.advance(payload);
                state_ = moved ? State::waiting : State::ended;
                if (!moved) stats_.fail(client::Stage::protocol, moved.error(), true);
                break;
            }
            case kLast:    // the end of the listing
            case kFailed:  // the worker counted the failure; the chain ends here
            default: state_ = State::ended; break;
        }
    }
    bool fail(const std::string& why) {
        stats_.fail(client::Stage::protocol, why, true);
        state_ = State::ended;
        return false;
    }
    void stop() { state_ = State::ended; }

private:
    client::PageWalk walk_;
    client::WorkerStats& stats_;
    State state_ = State::waiting;
    std::chrono::steady_clock::time_point handed_;  // when the token being listed was handed out
};

// The least busy worker that may take another page (holding fewer than kPagesInHand), or
// pages.size() when every one is full. pages: the pages each worker holds (kGone: kPagesInHand).
inline std::size_t least_busy(const std::vector<unsigned>& pages) {
    std::size_t idle = pages.size();
    for (std::size_t i = 0; i < pages.size(); ++i)
        if (pages[i] < kPagesInHand && (idle == pages.size() || pages[i] < pages[idle])) idle = i;
    return idle;
}

}  // namespace billion::strategies
