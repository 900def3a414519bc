// Suffixes on the command line.
#include <gtest/gtest.h>

#include "harness/units.hpp"

using namespace billion::harness;

TEST(Units, CountsAndDurationsTakeSuffixes) {
    CLI::App app;
    std::uint64_t n = 0;
    std::chrono::microseconds d{0};
    app.add_option("--n", n)->transform(count_units());
    add_duration(app, "--d", d, "");
    app.parse(std::vector<std::string>{"5ms", "--d", "10k", "--n"});  // reversed, as CLI11 wants
    EXPECT_EQ(n, 10000u);
    EXPECT_EQ(d, std::chrono::milliseconds(5));
    app.parse(std::vector<std::string>{"2s", "--d", "1M", "--n"});
    EXPECT_EQ(n, 1000000u);
    EXPECT_EQ(d, std::chrono::seconds(2));
    EXPECT_THROW(app.parse(std::vector<std::string>{"5", "--d"}), CLI::ValidationError);  // no unit
    EXPECT_THROW(app.parse(std::vector<std::string>{"10x", "--n"}), CLI::ValidationError);
}

TEST(Units, DurationsPrintInTheirUnit) {
    EXPECT_EQ(format_duration(3.0e-3), "3.000 ms");
    EXPECT_EQ(format_duration(30.3e-6), "30.3 us");
    EXPECT_EQ(format_duration(41.6 * 86400), "41.6 days");
    EXPECT_EQ(format_duration(8.4 * 3600), "8.4 hours");
}

TEST(Units, DurationsTakeFractionsAndRefuseWhatIsAmbiguous) {
    std::string error;
    EXPECT_EQ(parse_duration_us("1.5ms", error), 1500);
    EXPECT_EQ(parse_duration_us("0", error), 0);
    EXPECT_EQ(parse_duration_us("100us", error), 100);
    EXPECT_EQ(parse_duration_us("2min", error), 120000000);
    for (const char* bad : {"1", "1m", "fast", "-5ms", "1.2.3ms", ""}) {
        error.clear();
        EXPECT_FALSE(parse_duration_us(bad, error)) << bad;
        EXPECT_FALSE(error.empty()) << bad;
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
    std::string error;
    EXPECT_EQ(parse_count("1.5k", error), 1500u);
    EXPECT_EQ(parse_count("1G", error), 1000000000u);
    EXPECT_EQ(parse_count("0", error), 0u);
    for (const char* bad : {"-5", "", "k", "1.5", "0.5k.", "1e3", "0x10", "+5", " 5", "5 ", "1..5k", "5m", "nan", "inf",
                            "99999999999G"}) {
        EXPECT_FALSE(parse_count(bad, error)) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST(Units, RatesRefuseWhatIsNotANumberFromZeroToOne) {
    for (std::string ok : {"0", "1", "0.25"})
        EXPECT_EQ(rate()(ok), "") << ok;
    for (std::string bad : {"nan", "-nan", "inf", "-0.1", "1.01", "", "0.5x"})
        EXPECT_NE(rate()(bad), "") << bad;
}
