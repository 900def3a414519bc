// A bucket's listing pages (ListObjectsV2's XML) read into pages; bucket addresses.
#include <gtest/gtest.h>

#include "client/s3/bucket.hpp"
#include "client/s3/list_page.hpp"

using namespace billion::client;

namespace {

std::string page(const std::vector<std::string>& keys, const std::string& truncated, const std::string& next = "") {
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    "<Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>" +
                    truncated + "</IsTruncated>";
    for (const auto& k : keys)
        x += "<Contents><Key>" + k + "</Key><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size></Contents>";
    if (!next.empty()) x += "<NextContinuationToken>" + next + "</NextContinuationToken>";
    return x + "</ListBucketResult>";
}

}  // namespace

TEST(S3Page, KeysBecomeNamesAndTheTokenTheNext) {
    auto p = s3::parse_list_page(page({"a.bin", "b&amp;c.bin", "d.bin"}, "true", "tok/1+="), "");
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p.value().names, (std::vector<std::string>{"a.bin", "d.bin"}));
    EXPECT_EQ(p.value().rejected, 1u);  // "b&c.bin" is no name under the API's rule
    EXPECT_EQ(p.value().first_rejected, "b&c.bin");
    EXPECT_EQ(p.value().next, "tok/1+=");
    auto last = s3::parse_list_page(page({"a.bin"}, "false"), "");
    ASSERT_TRUE(last);
    EXPECT_FALSE(last.value().next);
}

TEST(S3Page, APrefixIsTakenOffAndKeysOutsideItRefused) {
    auto p = s3::parse_list_page(page({"photos/a.jpg", "photos/sub/b.jpg", "other/c.jpg", "photos/../x"}, "false"),
                                 "photos/");
    ASSERT_TRUE(p);
    EXPECT_EQ(p.value().names, (std::vector<std::string>{"a.jpg"}));
    EXPECT_EQ(p.value().rejected, 3u);
}

TEST(S3Page, TheMarkerIsSeenBeforeTheNames) {
    std::optional<std::string> seen;
    int calls = 0;
    auto p = s3::parse_list_page(page({"a.bin"}, "true", "t2"), "", NameRule::contract,
                                 [&](const std::optional<std::string>& n) { seen = n, ++calls; });
    ASSERT_TRUE(p);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(seen, "t2");
}

TEST(S3Page, WhatIsNoPageIsSaid) {
    auto e = s3::parse_list_page(page({"a.bin"}, "true"), "");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), "page IsTruncated but has no NextContinuationToken");
    e = s3::parse_list_page("<ListBucketResult><Contents><Key>file-00", "");
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().find("malformed XML in page"), std::string::npos) << e.error();
    e = s3::parse_list_page("<?xml version=\"1.0\"?><Nothing/>", "");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), "page is not a ListBucketResult: <Nothing>");
    e = s3::parse_list_page("<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>", "");
    EXPECT_FALSE(e);
}

TEST(S3Page, ErrorCodesAreReadFromErrorAnswers) {
    EXPECT_EQ(s3::error_code("<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>m</Message></Error>"),
              "NoSuchBucket");
    EXPECT_FALSE(s3::error_code("not xml"));
    EXPECT_FALSE(s3::error_code(page({}, "false")));
}

TEST(S3Bucket, AddressesParseOrSayWhyNot) {
    auto b = s3::parse_bucket_url("http://127.0.0.1:9000/my-bucket/photos/2024/");
    ASSERT_TRUE(b) << b.error();
    EXPECT_EQ(b.value().server.port, 9000);
    EXPECT_EQ(b.value().name, "my-bucket");
    EXPECT_EQ(b.value().prefix, "photos/2024/");
    EXPECT_EQ(b.value().url(), "http://127.0.0.1:9000/my-bucket/photos/2024/");
    EXPECT_TRUE(s3::parse_bucket_url("HTTP://localhost/abc"));
    for (const char* bad : {"http://127.0.0.1:9000", "http://127.0.0.1:9000/", "http://127.0.0.1:9000/Upper",
                            "http://127.0.0.1:9000/ab", "https://127.0.0.1/abc", "http://127.0.0.1:9000/abc/p%20q",
                            "http://127.0.0.1:0/abc", "ftp://x/abc"})
        EXPECT_FALSE(s3::parse_bucket_url(bad)) << bad;
}

TEST(S3Bucket, TargetsAreSortedAsSignedAndEncoded) {
    EXPECT_EQ(s3::list_target("b", "", ""), "/b?list-type=2&max-keys=1000");
    EXPECT_EQ(s3::list_target("b", "a b/", "t+1"), "/b?continuation-token=t%2B1&list-type=2&max-keys=1000&prefix=a%20b%2F");
    EXPECT_EQ(s3::object_prefix("b", "a b/"), "/b/a%20b/");
    EXPECT_EQ(s3::object_prefix("b", ""), "/b/");
}
