// The exactly-once ledger: names recorded by several sinks, repeats found across them, in
// memory and split into parts (the bounded path a 10^9-file run takes), nothing left behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "client/sinks/ledger.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion;

TEST(Ledger, FindsANameHandedToTwoSinksInMemoryAndSplit) {
    testkit::TempDir dir("ledger");
    client::WorkerStats stats;
    {
        client::NameLedger a(dir.path()), b(dir.path());
        for (int i = 0; i < 3000; ++i)
            a.add(std::to_string(i).append("a"), stats);
        for (int i = 0; i < 2000; ++i)
            b.add(std::to_string(i).append("b"), stats);
        b.add("17a", stats);  // another worker received it too
        b.add("2999a", stats);
        a.flush(stats);
        b.flush(stats);
    }
    EXPECT_EQ(stats.failed(), 0u);
    for (std::size_t in_memory : {std::size_t{1} << 20, std::size_t{64}}) {
        const auto c = client::check_ledgers(dir.path(), in_memory);
        EXPECT_EQ(c.error, "") << in_memory;
        EXPECT_EQ(c.names, 5002u) << in_memory;
        EXPECT_EQ(c.twice, 2u) << in_memory;
    }
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        files += e.is_regular_file();
    EXPECT_EQ(files, 2u) << "the split parts are removed";
}

TEST(Ledger, NamesEachOnceAreClean) {
    testkit::TempDir dir("ledger-clean");
    client::WorkerStats stats;
    {
        client::NameLedger a(dir.path());
        for (int i = 0; i < 1000; ++i)
            a.add(std::to_string(i), stats);
    }
    const auto c = client::check_ledgers(dir.path(), 100);
    EXPECT_EQ(c.names, 1000u);
    EXPECT_EQ(c.twice, 0u);
}
