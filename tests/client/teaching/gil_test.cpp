// The GIL model: one holder; a holder's switch hands the lock to a waiting thread and waits
// for it again (CPython's forced switching); with nobody waiting it keeps the lock.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "client/teaching/gil.hpp"

using billion::client::Gil;

namespace {
void wait_until_waiting(Gil& gil, std::uint64_t n) {
    while (gil.waiting() < n)
        std::this_thread::yield();
}
}  // namespace

TEST(Gil, ASwitchHandsTheLockToTheWaiterBeforeTakingItBack) {
    Gil gil;
    std::mutex log_mutex;
    std::vector<std::string> log;
    auto note = [&](const char* what) {
        std::lock_guard lock(log_mutex);
        log.emplace_back(what);
    };
    gil.acquire();
    std::thread other([&] {
        Gil::Held held(&gil);
        note("other runs");
    });
    wait_until_waiting(gil, 1);
    note("first switches");
    gil.switch_if_waited();  // returns only after the other thread had its turn
    note("first runs again");
    gil.release();
    other.join();
    EXPECT_EQ(log, (std::vector<std::string>{"first switches", "other runs", "first runs again"}));
}

TEST(Gil, ASwitchWithNobodyWaitingKeepsTheLock) {
    Gil gil;
    gil.acquire();
    EXPECT_EQ(gil.waiting(), 0u);
    gil.switch_if_waited();  // would deadlock if it queued behind nobody
    gil.release();
    Gil::Held again(&gil);  // free again
}

TEST(Gil, OneHolderAtATimeAmongManyThreads) {
    Gil gil;
    int inside = 0, most = 0, turns = 0;  // touched only under the GIL
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                Gil::Held held(&gil);
                most = std::max(most, ++inside);
                --inside;
                gil.switch_if_waited();  // another thread may run here, not beside us
                most = std::max(most, ++inside);
                ++turns;
                --inside;
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(most, 1);
    EXPECT_EQ(turns, 800);
}
