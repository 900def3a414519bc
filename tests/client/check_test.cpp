// BILLION_CHECK: a broken invariant aborts with the condition, the file and the line.
#include "client/check.hpp"

#include <gtest/gtest.h>

TEST(Check, AHeldInvariantDoesNothingABrokenOneAbortsSayingWhere) {
    int evaluated = 0;
    BILLION_CHECK(++evaluated == 1);
    EXPECT_EQ(evaluated, 1);  // evaluated once
    EXPECT_DEATH(BILLION_CHECK(evaluated == 2), "check_test.cpp:[0-9]+: BILLION_CHECK\\(evaluated == 2\\) failed");
}
