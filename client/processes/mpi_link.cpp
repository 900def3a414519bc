// MPI messages by polling (see mpi_link.hpp).
#include "client/processes/mpi_link.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <thread>

namespace billion::client {

bool send_to_rank(int rank, unsigned char type, std::string_view payload) {
    // MPI's C interface takes a non-const buffer it does not write to.
    return MPI_Send(const_cast<char*>(payload.data()), static_cast<int>(payload.size()), MPI_CHAR, rank, type,
                    MPI_COMM_WORLD) == MPI_SUCCESS;
}

std::optional<RankMessage> try_recv_from(int from) {
    int waiting = 0;
    MPI_Status status;
    if (MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status) != MPI_SUCCESS || !waiting)
        return std::nullopt;
    int size = 0;
    MPI_Get_count(&status, MPI_CHAR, &size);
    RankMessage m{status.MPI_SOURCE, static_cast<unsigned char>(status.MPI_TAG), std::string(size, '\0')};
    MPI_Recv(m.payload.data(), size, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return m;
}

void Backoff::pause() {
    if (eager())
        std::this_thread::yield();
    else
        std::this_thread::sleep_for(take());
}

std::chrono::microseconds Backoff::take() {
    const auto now = next;
    next = std::min(most, next * 2);
    return now;
}

RankMessage recv_polling(int from, Backoff& backoff) {
    for (;;) {
        if (auto m = try_recv_from(from)) {
            backoff.reset();
            return std::move(*m);
        }
        backoff.pause();
    }
}

boost::asio::awaitable<RankMessage> async_recv_from(int from, Backoff& backoff) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (;;) {
        if (auto m = try_recv_from(from)) {
            backoff.reset();
            co_return std::move(*m);
        }
        if (backoff.eager()) {  // the loop's other work first, then look again
            co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
            continue;
        }
        timer.expires_after(backoff.take());
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

void wait_polling(MPI_Request& request, Backoff backoff) {
    int done = 0;
    while (MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done)
        std::this_thread::sleep_for(backoff.take());
}

}  // namespace billion::client
