// The exit status of a set of runs: a stop request counts only where it cut something short.
#include <gtest/gtest.h>

#include "harness/common/exit_codes.hpp"
#include "harness/run/session.hpp"

using namespace billion::harness;

namespace {
RunRecord verified() {
    RunRecord r;
    r.verification.add("each listed file received once", true, "");
    return r;
}
}  // namespace

TEST(ExitStatus, AStopAfterTheLastRunChangesNothing) {
    // Every planned run ended verified: a Ctrl-C that came afterwards (while the table was
    // printed) does not turn the result into "interrupted".
    EXPECT_EQ(exit_status({verified(), verified()}, 2), kExitOk);
}

TEST(ExitStatus, AStopThatCutSomethingShortIsInterrupted) {
    EXPECT_EQ(exit_status({verified()}, 2), kExitInterrupted);  // the second run never started
    auto cut = verified();
    cut.result.interrupted = true;
    EXPECT_EQ(exit_status({verified(), cut}, 2), kExitInterrupted);
}

TEST(ExitStatus, AnUnverifiedRunFails) {
    auto bad = verified();
    bad.verification.add("no failures", false, "1 get");
    EXPECT_EQ(exit_status({verified(), bad}, 2), kExitUnverified);
    EXPECT_EQ(exit_status({}, 0), kExitUnverified);
}
