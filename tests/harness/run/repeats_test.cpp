// How many runs a row gets: a fixed count, or until its median is known (repeats.hpp).
#include <gtest/gtest.h>

#include "harness/run/repeats.hpp"

using billion::harness::first_is_warmup;
using billion::harness::kMaxAutoRuns;
using billion::harness::RepeatRule;
using billion::harness::wants_another;

TEST(Repeats, AFixedCountRunsExactlyThatMany) {
    RepeatRule rule;
    rule.repeat = 3;
    EXPECT_TRUE(wants_another(rule, {1, 2}, 1e6));  // the budget does not cut a fixed count
    EXPECT_FALSE(wants_another(rule, {1, 2, 3}, 0));
    EXPECT_TRUE(first_is_warmup(rule, 1e6));
    rule.repeat = 1;
    EXPECT_FALSE(first_is_warmup(rule, 0));  // one run: no warm-up
}

TEST(Repeats, AutoStopsWhenTheMedianIsKnownToThePrecision) {
    RepeatRule rule;  // auto, 5 %, 10 s
    EXPECT_TRUE(wants_another(rule, {}, 0));
    EXPECT_TRUE(wants_another(rule, {10, 10, 10, 10}, 1));  // four runs make no 90 % interval
    EXPECT_FALSE(wants_another(rule, {10, 10.2, 9.9, 10.1, 10}, 1));
    EXPECT_TRUE(wants_another(rule, {10, 14, 9, 10.1, 10}, 1));  // 9-14 around 10: +-25 %
    rule.precision = 0.3;
    EXPECT_FALSE(wants_another(rule, {10, 14, 9, 10.1, 10}, 1));
}

TEST(Repeats, AutoStopsAtTheBudgetOrTheMostRuns) {
    RepeatRule rule;
    EXPECT_FALSE(wants_another(rule, {10, 20}, 10.5));
    EXPECT_TRUE(wants_another(rule, {}, 10.5));  // at least one counted run, whatever the time
    std::vector<double> noisy;
    for (int i = 0; i < kMaxAutoRuns; ++i)
        noisy.push_back(i % 2 ? 10 : 30);
    EXPECT_FALSE(wants_another(rule, noisy, 1));
}

TEST(Repeats, OnlyAShortFirstRunIsTheWarmUp) {
    RepeatRule rule;  // a 10 s budget: under 1 s is short
    EXPECT_TRUE(first_is_warmup(rule, 0.5));
    EXPECT_FALSE(first_is_warmup(rule, 2));
    rule.warmup = false;  // --no-warmup
    EXPECT_FALSE(first_is_warmup(rule, 0.5));
}

TEST(Repeats, SpreadRunsStartEvenlyFromFirstToLast) {
    using std::chrono::seconds;
    RepeatRule rule;
    rule.repeat = 5;
    rule.spread = seconds(60);
    EXPECT_EQ(billion::harness::spread_offset(rule, 0), seconds(0));
    EXPECT_EQ(billion::harness::spread_offset(rule, 1), seconds(15));
    EXPECT_EQ(billion::harness::spread_offset(rule, 4), seconds(60));  // the last starts at the end
    EXPECT_EQ(billion::harness::spread_offset(rule, 9), seconds(60));  // none later
    rule.spread = seconds(0);
    EXPECT_EQ(billion::harness::spread_offset(rule, 3), seconds(0));  // back to back
}
