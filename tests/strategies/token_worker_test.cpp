// The token owner's side of the chain, against a scripted link: who gets each token, and that
// a chain that has ended stays ended. (The worker's side runs in every combo and cluster test
// against a server.)
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "strategies/token_worker.hpp"

using namespace billion;
using strategies::OwnerLink;

namespace {

// Plays the workers' words in order and writes down what the owner sent. Once the script is
// done it says worker 0 is lost, so a test whose owner waits for more ends instead of hanging.
class ScriptedWorkers final : public OwnerLink {
public:
    ScriptedWorkers(std::size_t workers, std::deque<Word> words) : workers_(workers), words_(std::move(words)) {}
    std::size_t workers() const override { return workers_; }
    bool send_token(std::size_t w, const std::string& token) override {
        sent.push_back("token '" + token + "' to " + std::to_string(w));
        return true;
    }
    std::optional<Word> next_word() override {
        if (words_.empty()) return Word{0, kLost, ""};
        Word w = std::move(words_.front());
        words_.pop_front();
        return w;
    }
    void end_all(client::WorkerStats&) override { sent.push_back("end"); }

    std::vector<std::string> sent;

private:
    std::size_t workers_;
    std::deque<Word> words_;
};

OwnerLink::Word word(std::size_t w, strategies::TokenMsg m, std::string payload = "") {
    return {w, m, std::move(payload)};
}

}  // namespace

TEST(TokenOwner, EachTokenGoesToTheLeastBusyWorkerAndEachStepIsCounted) {
    using namespace strategies;
    ScriptedWorkers link(2, {word(0, kNext, "t1"), word(1, kNext, "t2"), word(0, kLast), word(0, kPageDone),
                             word(1, kPageDone), word(0, kPageDone)});
    client::WorkerStats stats;
    own_tokens(Job{}, link, stats);
    // Worker 0 holds one page when "t1" comes: idle worker 1 lists it; then the tie goes to 0.
    EXPECT_EQ(link.sent, (std::vector<std::string>{"token '' to 0", "token 't1' to 1", "token 't2' to 0", "end"}));
    EXPECT_EQ(stats.chain_steps, 3u);
    EXPECT_EQ(stats.failed(), 0u) << stats.first_error;
}

TEST(TokenOwner, AChainEndedByAWorkerThatCannotStartStaysEnded) {
    using namespace strategies;
    // Worker 1 cannot open its sink while worker 0 lists the first page: the run ends there. The
    // next token worker 0 then reports must not start the chain again.
    ScriptedWorkers link(2, {word(1, kGone, "write: no room"), word(0, kNext, "t1"), word(0, kPageDone)});
    client::WorkerStats stats;
    own_tokens(Job{}, link, stats);
    EXPECT_EQ(link.sent, (std::vector<std::string>{"token '' to 0", "end"}));
    EXPECT_TRUE(stats.fatal);
    EXPECT_NE(std::string(stats.first_error).find("worker 1 could not start: write: no room"), std::string::npos)
        << stats.first_error;
}

TEST(TokenOwner, ALoopInTheTokensEndsTheChain) {
    using namespace strategies;
    ScriptedWorkers link(1, {word(0, kNext, "t1"), word(0, kPageDone), word(0, kNext, "t1"), word(0, kPageDone)});
    client::WorkerStats stats;
    own_tokens(Job{}, link, stats);
    EXPECT_EQ(link.sent, (std::vector<std::string>{"token '' to 0", "token 't1' to 0", "end"}));
    EXPECT_TRUE(stats.fatal);
    EXPECT_NE(std::string(stats.first_error).find("repeats an earlier one"), std::string::npos) << stats.first_error;
}
