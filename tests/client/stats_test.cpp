// Histogram quantiles, digests and merging.
#include <gtest/gtest.h>

#include "client/stats.hpp"

using namespace billion::client;

TEST(Histogram, QuantilesAreWithinTheBucketResolution) {
    Histogram h;
    for (std::uint64_t v = 1; v <= 100000; ++v)
        h.record(v * 1000);
    auto near = [](std::uint64_t got, double want) { return std::abs(static_cast<double>(got) - want) <= want * 0.07; };
    EXPECT_TRUE(near(h.quantile(0.5), 50e6)) << h.quantile(0.5);
    EXPECT_TRUE(near(h.quantile(0.99), 99e6)) << h.quantile(0.99);
    EXPECT_EQ(h.quantile(1.0), 100000000u);
    EXPECT_EQ(h.total, 100000u);
}

TEST(Histogram, MergeAddsCounts) {
    Histogram a, b;
    a.record(10);
    b.record(1000000);
    a.merge(b);
    EXPECT_EQ(a.total, 2u);
    EXPECT_EQ(a.max, 1000000u);
    EXPECT_EQ(a.quantile(0), 10u);
}

TEST(Digest, IsOrderIndependentAndSeesEveryDifference) {
    Digest a, b;
    a.add_file("x", "1");
    a.add_file("y", "2");
    b.add_file("y", "2");
    b.add_file("x", "1");
    EXPECT_EQ(a, b);
    Digest corrupt;
    corrupt.add_file("x", "1");
    corrupt.add_file("y", "3");
    EXPECT_EQ(corrupt.names, a.names);
    EXPECT_NE(corrupt.contents, a.contents);
    Digest swapped;  // one duplicated, one missing: same count, other names
    swapped.add_file("x", "1");
    swapped.add_file("x", "1");
    EXPECT_EQ(swapped.count, a.count);
    EXPECT_NE(swapped.names, a.names);
}

TEST(WorkerStats, MergeKeepsCountsAndTheFirstError) {
    WorkerStats a, b;
    a.files = 2;
    b.files = 3;
    b.fail(Stage::get, "boom");
    a.merge(b);
    EXPECT_EQ(a.files, 5u);
    EXPECT_EQ(a.failed(), 1u);
    EXPECT_STREQ(a.first_error, "get: boom");
    WorkerStats c;
    c.fail(Stage::list, "fatal one", true);
    a.merge(c);
    EXPECT_TRUE(a.fatal);
    EXPECT_STREQ(a.first_error, "list: fatal one");
}

TEST(WorkerStats, FailAndMergeKeepTheSameFirstError) {
    // The same failures, recorded in one set of counters or in two merged: the same first error.
    WorkerStats one, a, b;
    one.fail(Stage::get, "404 not found");
    one.fail(Stage::list, "HTTP 400", true);
    one.fail(Stage::protocol, "looping marker", true);
    a.fail(Stage::get, "404 not found");
    b.fail(Stage::list, "HTTP 400", true);
    b.fail(Stage::protocol, "looping marker", true);
    a.merge(b);
    EXPECT_STREQ(one.first_error, "list: HTTP 400");  // the first fatal one, not the last
    EXPECT_STREQ(a.first_error, one.first_error);
    // Each stage keeps its own first cause.
    EXPECT_STREQ(a.first_by_stage[static_cast<int>(Stage::get)], "get: 404 not found");
    EXPECT_STREQ(a.first_by_stage[static_cast<int>(Stage::protocol)], "protocol: looping marker");
    EXPECT_STREQ(a.first_by_stage[static_cast<int>(Stage::write)], "");
}

TEST(WorkerStats, PeaksOfProcessesAddUp) {
    WorkerStats parent, w1, w2;
    w1.peak_rss_kb = w1.peak_rss_sum_kb = 300;
    w2.peak_rss_kb = w2.peak_rss_sum_kb = 500;
    parent.merge(w1);
    parent.merge(w2);
    EXPECT_EQ(parent.peak_rss_kb, 500u);
    EXPECT_EQ(parent.peak_rss_sum_kb, 800u);
}

TEST(Digest, RemoveNameUndoesAddName) {
    Digest a, b;
    a.add_name("x");
    b.add_name("x");
    b.add_name("y");
    b.remove_name("y");
    EXPECT_EQ(a, b);
}
