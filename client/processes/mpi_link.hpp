// MPI messages for the cluster strategy's ranks: a type (the MPI tag) and a payload, sent
// to one rank, received by polling. Why polling: an MPI library offers no descriptor an
// event loop could wait on, and Open MPI's blocking receive spins a core while it waits;
// with more ranks than cores (the usual case on one machine) that spin would steal the
// downloaders' CPU. A poll that backs off from microseconds to a fraction of a millisecond
// costs a few wake-ups a millisecond and delays a token by at most that fraction (a rank
// looks again at once after it finishes a page, when rank 0 is most likely to hand it one).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <mpi.h>

namespace billion::client {

struct RankMessage {
    int from = -1;
    unsigned char type = 0;
    std::string payload;
};

// Sends at once (small messages go eagerly: the call does not wait for the receiver).
// False when MPI refuses.
bool send_to_rank(int rank, unsigned char type, std::string_view payload = {});
// A message from `from` (MPI_ANY_SOURCE: anyone) if one is waiting; never blocks.
std::optional<RankMessage> try_recv_from(int from = MPI_ANY_SOURCE);

// The poll's back-off: first and longest pause between two looks; and a window in which a
// message is expected (a rank has just handed out a token, or asked for one), when it looks
// again at once, yielding the core, instead of sleeping. Why: a sleeping process wakes slowly
// on these machines, and a token crossed two sleeps a step (docs/decisions.md).
struct Backoff {
    using Clock = std::chrono::steady_clock;
    std::chrono::microseconds first{10};
    std::chrono::microseconds most{100};
    std::chrono::microseconds next{first};
    Clock::time_point eager_until{};
    std::chrono::microseconds take();  // the pause to wait now; doubles the next one
    void reset() { next = first; }
    void expect(Clock::duration window) {  // a message is likely within the window
        reset();
        eager_until = Clock::now() + window;
    }
    bool eager() const { return Clock::now() < eager_until; }
    void pause();  // outside an event loop: yield while eager, else sleep take()
};

// The next message from `from`, without blocking the calling thread (outside an event loop).
RankMessage recv_polling(int from, Backoff& backoff);
// The same inside an Asio loop: the other coroutines run while it waits.
boost::asio::awaitable<RankMessage> async_recv_from(int from, Backoff& backoff);
// Waits for a non-blocking MPI operation (a collective) to complete, polling.
void wait_polling(MPI_Request& request, Backoff backoff = {});

}  // namespace billion::client
