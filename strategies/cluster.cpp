// Strategy `cluster`: combo's design across MPI ranks, which may run on other hosts. Rank 0
// owns only the pagination tokens; every other rank takes a token, lists that page, sends the
// next token back as soon as the page's shape is read, then downloads the page's files. Only tokens cross between ranks
// while they work, and at the end each rank's counters, in one gather. The roles are
// token_worker's; this file is their transport: MPI messages between ranks (combo.cpp is the
// same over pipes). This is the MPI program (billion-cluster); cluster_launch.cpp starts it.
#include "strategies/cluster.hpp"

#include "client/processes/ipc.hpp"
#include "client/processes/mpi_link.hpp"
#include "strategies/token_worker.hpp"

namespace billion::strategies {

namespace asio = boost::asio;

namespace {

constexpr int kOwner = 0;  // the rank that owns the tokens
// How long a rank looks for an expected word without sleeping (mpi_link.hpp says why): a
// token after this rank finished or listed a page (one hop), the answer to a token handed
// out (a listing, longer under load).
constexpr auto kTokenSoon = std::chrono::milliseconds(1);
constexpr auto kAnswerSoon = std::chrono::milliseconds(2);

// A downloading rank's link: tokens polled from rank 0 inside its loop (client/processes/mpi_link.hpp
// says why polling), words sent to rank 0. A page done makes the rank look for a token at once.
class WorkerRank final : public WorkerLink {
public:
    asio::awaitable<std::optional<std::string>> next_token() override {
        auto m = co_await client::async_recv_from(kOwner, backoff_);
        if (m.type != kToken) co_return std::nullopt;  // rank 0 said the end
        co_return std::move(m.payload);
    }
    bool tell(TokenMsg m, std::string_view payload) override {
        // A page done or listed is when rank 0 most likely hands this rank the next token.
        if (m == kPageDone || m == kNext) backoff_.expect(kTokenSoon);
        return client::send_to_rank(kOwner, m, payload);
    }
    void wait_for_end() override {
        while (client::recv_polling(kOwner, backoff_).type != kEnd) {
        }
    }

private:
    client::Backoff backoff_;  // how long the lister waits between two looks for rank 0's word
};

// The owner's link (rank 0): worker w is rank w + 1; words polled from any rank.
class OwnerRank final : public OwnerLink {
public:
    explicit OwnerRank(int ranks) : ranks_(ranks) {}
    std::size_t workers() const override { return static_cast<std::size_t>(ranks_ - 1); }
    bool send_token(std::size_t w, const std::string& token) override {
        backoff_.expect(kAnswerSoon);  // the page's answer: a listing away
        return client::send_to_rank(static_cast<int>(w) + 1, kToken, token);
    }
    std::optional<Word> next_word() override {
        auto m = client::try_recv_from(MPI_ANY_SOURCE);
        if (!m) {
            backoff_.pause();
            return std::nullopt;
        }
        backoff_.reset();
        return Word{static_cast<std::size_t>(m->from - 1), m->type, std::move(m->payload)};
    }
    void end_all(client::WorkerStats& stats) override {
        for (int r = 1; r < ranks_; ++r)
            if (!client::send_to_rank(r, kEnd))
                stats.fail(client::Stage::protocol, "cannot end rank " + std::to_string(r));
    }

private:
    int ranks_;
    client::Backoff backoff_{.first = std::chrono::microseconds(5), .most = std::chrono::microseconds(100)};
};

}  // namespace

std::optional<client::WorkerStats> run_cluster_rank(const Job& job) {
    int rank = 0, ranks = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    client::WorkerStats stats;
    if (rank == kOwner) {
        // list + hand off (rank 0): tokens only; download + write happen in the other ranks.
        OwnerRank link(ranks);
        own_tokens(job, link, stats);
    } else {
        asio::io_context io(1);
        WorkerRank link;
        run_token_worker(io, job, link, stats);
    }

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
