// A run's steady per-file time and its start-up, from files-over-time samples (steady_state.hpp).
#include <gtest/gtest.h>

#include "harness/run/steady_state.hpp"

using billion::harness::fit_steady;
using billion::harness::Sample;

namespace {
// 0.3 s of start-up with nothing served, then 10 us a file, sampled every `step` seconds.
std::vector<Sample> run_of(std::uint64_t files, double step) {
    std::vector<Sample> s;
    for (double t = 0; t < 0.3 + 1e-5 * static_cast<double>(files); t += step)
        s.push_back({t, t < 0.3 ? 0 : static_cast<std::uint64_t>((t - 0.3) / 1e-5)});
    return s;
}
}  // namespace

TEST(Steady, TheSlopeIsThePerFileTimeAndTheRestIsStartUp) {
    const std::uint64_t files = 100'000;                      // 1 s of steady work after 0.3 s of start-up
    auto st = fit_steady(run_of(files, 0.004), files, 1.35);  // and a 50 ms tail
    ASSERT_TRUE(st) << st.error();
    EXPECT_NEAR(st.value().per_file_s, 1e-5, 1e-8);
    EXPECT_NEAR(st.value().startup_s, 0.35, 0.005);
    EXPECT_GE(st.value().samples, 150u);
    // The naive projection would charge the start-up 10^9 / 10^5 times over: 13.5 ks.
    EXPECT_NEAR(st.value().startup_s + 1e9 * st.value().per_file_s, 1e4, 10);
}

TEST(Steady, TooFewSamplesInTheMiddleIsNoSteadyState) {
    auto short_run = fit_steady(run_of(1000, 0.004), 1000, 0.31);  // 10 ms of work: 2 samples
    ASSERT_FALSE(short_run);
    EXPECT_NE(short_run.error().find("too short to sample"), std::string::npos) << short_run.error();
    auto no_stats = fit_steady({}, 1000, 0.31);  // a server without /stats
    ASSERT_FALSE(no_stats);
    EXPECT_NE(no_stats.error().find("no /stats"), std::string::npos) << no_stats.error();
    const std::vector<Sample> stalled(20, Sample{0.1, 500});
    EXPECT_FALSE(fit_steady(stalled, 1000, 0.31));
}
