// Server URLs and query encoding.
#include <gtest/gtest.h>

#include "client/http/endpoint.hpp"

using namespace billion::client;

TEST(Endpoint, ParsesHttpUrls) {
    auto e = parse_url("http://127.0.0.1:8080");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->host, "127.0.0.1");
    EXPECT_EQ(e->port, 8080);
    EXPECT_TRUE(parse_url("http://localhost:1/"));
    EXPECT_EQ(parse_url("http://example")->port, 80);
    EXPECT_FALSE(parse_url("https://127.0.0.1:1"));
    EXPECT_FALSE(parse_url("127.0.0.1:8080"));
    EXPECT_FALSE(parse_url("http://127.0.0.1:99999"));
    EXPECT_FALSE(parse_url("http://127.0.0.1:80/prefix"));
    EXPECT_FALSE(parse_url("http://:80"));
}

TEST(Endpoint, TokensArePercentEncoded) {
    EXPECT_EQ(list_target(""), "/list");
    EXPECT_EQ(list_target("abc.DEF-_~"), "/list?next-marker=abc.DEF-_~");
    EXPECT_EQ(list_target("a+b/c=d e&"), "/list?next-marker=a%2Bb%2Fc%3Dd%20e%26");
}
