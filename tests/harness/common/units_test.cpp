// Counts and durations: parsed with their suffixes, and printed.
#include <gtest/gtest.h>

#include "harness/common/format.hpp"
#include "harness/common/units.hpp"

using namespace billion::harness;

TEST(Units, DurationsPrintInTheirUnit) {
    EXPECT_EQ(format_duration(3.0e-3), "3.000 ms");
    EXPECT_EQ(format_duration(30.3e-6), "30.3 us");
    EXPECT_EQ(format_duration(41.6 * 86400), "41.6 days");
    EXPECT_EQ(format_duration(8.4 * 3600), "8.4 hours");
}

TEST(Units, DurationsTakeFractionsAndRefuseWhatIsAmbiguous) {
    EXPECT_EQ(parse_duration_us("1.5ms").value(), 1500);
    EXPECT_EQ(parse_duration_us("0").value(), 0);
    EXPECT_EQ(parse_duration_us("100us").value(), 100);
    EXPECT_EQ(parse_duration_us("2min").value(), 120000000);
    for (const char* bad : {"1", "1m", "fast", "-5ms", "1.2.3ms", ""}) {
        const auto d = parse_duration_us(bad);
        ASSERT_FALSE(d) << bad;
        EXPECT_FALSE(d.error().empty()) << bad;
    }
}

TEST(Units, CompactDurationsReadAsTheyAreTyped) {
    EXPECT_EQ(compact_duration(0), "0");
    EXPECT_EQ(compact_duration(100), "100us");
    EXPECT_EQ(compact_duration(1000), "1ms");
    EXPECT_EQ(compact_duration(1500), "1.5ms");
    EXPECT_EQ(compact_duration(5000), "5ms");
    EXPECT_EQ(compact_duration(2000000), "2s");
}

TEST(Units, CountsAreWholeAndNeverNegative) {
    EXPECT_EQ(parse_count("1.5k").value(), 1500u);
    EXPECT_EQ(parse_count("1G").value(), 1000000000u);
    EXPECT_EQ(parse_count("0").value(), 0u);
    for (const char* bad : {"-5", "", "k", "1.5", "0.5k.", "1e3", "0x10", "+5", " 5", "5 ", "1..5k", "5m", "nan", "inf",
                            "99999999999G"}) {
        const auto n = parse_count(bad);
        ASSERT_FALSE(n) << bad;
        EXPECT_FALSE(n.error().empty()) << bad;
    }
}
