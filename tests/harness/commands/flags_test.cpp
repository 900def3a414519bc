// Suffixes on the command line, through CLI11.
#include <gtest/gtest.h>

#include "harness/commands/flags.hpp"

using namespace billion::harness;

TEST(Flags, CountsAndDurationsTakeSuffixes) {
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

TEST(Flags, RatesRefuseWhatIsNotANumberFromZeroToOne) {
    for (std::string ok : {"0", "1", "0.25"})
        EXPECT_EQ(rate()(ok), "") << ok;
    for (std::string bad : {"nan", "-nan", "inf", "-0.1", "1.01", "", "0.5x"})
        EXPECT_NE(rate()(bad), "") << bad;
}
