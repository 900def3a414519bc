// What a client does with each answer (API.md's error table).
#include <gtest/gtest.h>

#include "client/http/retry.hpp"

using namespace billion::client;
using K = Verdict::Kind;

namespace {
Exchange status(unsigned s, std::size_t body = 100) {
    Exchange e;
    e.status = s;
    e.body.assign(body, 'x');
    return e;
}
}  // namespace

TEST(Retry, ClassifiesAnswers) {
    RetryPolicy p(ClientConfig{}, 1);
    EXPECT_EQ(p.judge(status(200), 1, Stage::get).kind, K::ok);
    auto nf = p.judge(status(404), 1, Stage::get);
    EXPECT_EQ(nf.kind, K::give_up);
    EXPECT_FALSE(nf.fatal);
    auto bad = p.judge(status(400), 1, Stage::list);
    EXPECT_EQ(bad.kind, K::give_up);
    EXPECT_TRUE(bad.fatal);
    EXPECT_EQ(p.judge(status(500), 1, Stage::get).kind, K::retry);
    EXPECT_EQ(p.judge(status(502), 1, Stage::get).kind, K::retry);
    EXPECT_EQ(p.judge(status(503), 1, Stage::get).kind, K::retry);
    EXPECT_EQ(p.judge(status(429), 1, Stage::get).kind, K::retry);
    EXPECT_EQ(p.judge(status(418), 1, Stage::get).kind, K::give_up);
}

TEST(Retry, AFileOfTheWrongSizeIsRefusedNotRetried) {
    RetryPolicy p(ClientConfig{}, 1);  // the API's default: 100 bytes
    for (std::size_t size : {0u, 99u, 101u}) {
        auto v = p.judge(status(200, size), 1, Stage::get);
        EXPECT_EQ(v.kind, K::give_up) << size;
        EXPECT_FALSE(v.fatal);
        EXPECT_EQ(v.stage, Stage::protocol);
        EXPECT_NE(v.message.find("wrong size: " + std::to_string(size) + " bytes, expected 100"), std::string::npos)
            << v.message;
    }
    ClientConfig other;
    other.file_size = 333;  // --file-size 333
    RetryPolicy q(other, 1);
    EXPECT_EQ(q.judge(status(200, 333), 1, Stage::get).kind, K::ok);
    EXPECT_EQ(q.judge(status(200, 100), 1, Stage::get).kind, K::give_up);
    // A page of names has any size.
    EXPECT_EQ(q.judge(status(200, 7), 1, Stage::list).kind, K::ok);
}

TEST(Retry, HonoursRetryAfterWithinItsCap) {
    ClientConfig o;
    o.retry_after_cap = std::chrono::milliseconds(1500);
    RetryPolicy p(o, 1);
    auto e = status(429);
    e.retry_after_s = 1;
    EXPECT_EQ(p.judge(e, 1, Stage::get).wait, std::chrono::seconds(1));
    e.retry_after_s = 3600;
    EXPECT_EQ(p.judge(e, 1, Stage::get).wait, std::chrono::milliseconds(1500));
    EXPECT_EQ(parse_retry_after("7"), 7u);
    EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
}

TEST(Retry, BackoffIsBoundedAndGivesUpAfterMaxAttempts) {
    ClientConfig o;
    o.max_attempts = 4;
    o.backoff_base = std::chrono::milliseconds(10);
    o.backoff_cap = std::chrono::milliseconds(40);
    RetryPolicy p(o, 1);
    for (int a = 1; a < 4; ++a) {
        auto v = p.judge(status(500), a, Stage::get);
        ASSERT_EQ(v.kind, K::retry);
        EXPECT_LE(v.wait, std::chrono::milliseconds(40));
    }
    auto last = p.judge(status(500), 4, Stage::get);
    EXPECT_EQ(last.kind, K::give_up);
    EXPECT_NE(last.message.find("gave up after 4"), std::string::npos);
}

TEST(Retry, TransportFaultsAreRetriedThenCountedAtTheirStage) {
    ClientConfig o;
    o.max_attempts = 2;
    RetryPolicy p(o, 1);
    Exchange reset;
    reset.transport = Exchange::Transport::reset;
    EXPECT_EQ(p.judge(reset, 1, Stage::get).kind, K::retry);
    EXPECT_EQ(p.judge(reset, 2, Stage::get).stage, Stage::get);
    Exchange refused;
    refused.transport = Exchange::Transport::connect;
    auto v = p.judge(refused, 2, Stage::get);
    EXPECT_EQ(v.stage, Stage::connect);
    EXPECT_TRUE(v.fatal);
    Exchange big;
    big.transport = Exchange::Transport::too_large;
    EXPECT_EQ(p.judge(big, 1, Stage::get).stage, Stage::protocol);
}

// Content-Length is one decimal count (or the same count repeated, as RFC 9110 allows):
// anything else is refused, never read as a number it is not.
TEST(Retry, ContentLengthIsOneDecimalCount) {
    using billion::client::parse_content_length;
    EXPECT_EQ(parse_content_length("100"), 100u);
    EXPECT_EQ(parse_content_length("0"), 0u);
    EXPECT_EQ(parse_content_length("100, 100"), 100u);
    EXPECT_EQ(parse_content_length("18446744073709551615"), 18446744073709551615u);
    for (const char* bad :
         {"", "abc", "-1", "+100", "0x64", "1e2", "100 100", "100, 101", "1,", ",1", "18446744073709551616", " "})
        EXPECT_FALSE(parse_content_length(bad)) << "'" << bad << "'";
}
