// The catalog as a bucket: listings (v2 and v1, prefixes, tokens), objects with their MD5
// ETags, S3's errors, signatures, and the hostile listings.
#include <gtest/gtest.h>

#include <ctime>
#include <map>

#include "client/s3/etag.hpp"
#include "client/s3/list_page.hpp"
#include "mock_server/routes.hpp"

using namespace billion;

namespace {

mock::ServerConfig bucket_of(std::uint64_t files) {
    mock::ServerConfig o;
    o.catalog.files = files;
    return o;
}

client::Page page_of(const mock::Answer& a) {
    auto p = client::s3::parse_list_page(a.body, "");
    EXPECT_TRUE(p) << a.body;
    return p ? p.value() : client::Page{};
}

}  // namespace

TEST(S3Routes, ListingsWalkTheCatalogInOrderByToken) {
    const auto o = bucket_of(25);
    std::vector<std::string> all;
    std::string target = "/billion?list-type=2&max-keys=10";
    for (int pages = 0; pages < 10; ++pages) {
        const auto a = mock::answer(o, "GET", target);
        ASSERT_EQ(a.status, 200u) << a.body;
        EXPECT_EQ(a.route, mock::Route::list);
        const auto p = page_of(a);
        all.insert(all.end(), p.names.begin(), p.names.end());
        if (!p.next) break;
        target = "/billion?list-type=2&max-keys=10&continuation-token=" + *p.next;
    }
    ASSERT_EQ(all.size(), 25u);
    for (std::uint64_t i = 0; i < 25; ++i)
        EXPECT_EQ(all[i], o.catalog.name(i));
}

TEST(S3Routes, APrefixListsItsRunAndAStartSkipsAhead) {
    const auto o = bucket_of(2500);
    auto p = page_of(mock::answer(o, "GET", "/billion?list-type=2&prefix=file-0000002"));
    ASSERT_EQ(p.names.size(), 500u);  // 2000 .. 2499
    EXPECT_EQ(p.names.front(), o.catalog.name(2000));
    p = page_of(mock::answer(o, "GET", "/billion?list-type=2&prefix=file-0000002499.bin"));
    EXPECT_EQ(p.names, std::vector<std::string>{o.catalog.name(2499)});
    p = page_of(mock::answer(o, "GET", "/billion?list-type=2&prefix=nothing"));
    EXPECT_TRUE(p.names.empty());
    p = page_of(mock::answer(o, "GET", "/billion?list-type=2&max-keys=3&start-after=file-0000000010.bin"));
    EXPECT_EQ(p.names.front(), o.catalog.name(11));
    // v1: a marker, and NextMarker the last key
    const auto v1 = mock::answer(o, "GET", "/billion?marker=file-0000000010.bin&max-keys=3");
    ASSERT_EQ(v1.status, 200u);
    EXPECT_NE(v1.body.find("<Key>file-0000000011.bin</Key>"), std::string::npos);
    EXPECT_NE(v1.body.find("<NextMarker>file-0000000013.bin</NextMarker>"), std::string::npos) << v1.body;
}

TEST(S3Routes, ObjectsCarryTheirMd5AndHeadsNoBody) {
    const auto o = bucket_of(10);
    auto a = mock::answer(o, "GET", "/billion/" + o.catalog.name(3));
    ASSERT_EQ(a.status, 200u);
    EXPECT_EQ(a.route, mock::Route::get);
    EXPECT_EQ(a.body, o.catalog.content(3));
    ASSERT_FALSE(a.headers.empty());
    EXPECT_EQ(a.headers.front().second, "\"" + client::s3::md5_hex(o.catalog.content(3)) + "\"");
    a = mock::answer(o, "HEAD", "/billion/" + o.catalog.name(3));
    EXPECT_TRUE(a.head);
    EXPECT_EQ(a.route, mock::Route::head);
    // The listing's ETag is the object's.
    const auto list = mock::answer(o, "GET", "/billion?list-type=2&prefix=" + o.catalog.name(3));
    EXPECT_NE(list.body.find(client::s3::md5_hex(o.catalog.content(3))), std::string::npos);
}

TEST(S3Routes, ErrorsAreS3s) {
    const auto o = bucket_of(10);
    auto a = mock::answer(o, "GET", "/billion/nope.bin");
    EXPECT_EQ(a.status, 404u);
    EXPECT_EQ(client::s3::error_code(a.body), "NoSuchKey");
    a = mock::answer(o, "GET", "/other-bucket?list-type=2");
    EXPECT_EQ(a.status, 404u);
    EXPECT_EQ(client::s3::error_code(a.body), "NoSuchBucket");
    a = mock::answer(o, "PUT", "/billion/x.bin");
    EXPECT_EQ(a.status, 405u);
    a = mock::answer(o, "GET", "/billion?list-type=2&continuation-token=forged");
    EXPECT_EQ(a.status, 400u);
    EXPECT_EQ(client::s3::error_code(a.body), "InvalidArgument");
    // The API's own paths are still the API's.
    EXPECT_EQ(mock::answer(o, "GET", "/list").content_type, std::string_view("application/json"));
}

TEST(S3Routes, SignedRequestsAreCheckedAgainstTheServersKeys) {
    auto o = bucket_of(10);
    o.s3_keys = client::s3::Credentials{"AKID", "secret", "us-east-1"};
    client::s3::Signer good(*o.s3_keys), bad({"AKID", "wrong", "us-east-1"});
    auto ask = [&](client::s3::Signer& s) {
        std::string lines;
        s.append_headers(lines, "127.0.0.1:1", "/billion/", o.catalog.name(1), std::time(nullptr));
        std::map<std::string, std::string> h{{"host", "127.0.0.1:1"}};
        for (std::size_t at = 0; at < lines.size();) {
            const auto end = lines.find("\r\n", at);
            const auto line = lines.substr(at, end - at);
            std::string name = line.substr(0, line.find(':'));
            for (auto& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            h[name] = line.substr(line.find(':') + 2);
            at = end + 2;
        }
        return mock::answer(o, "GET", "/billion/" + o.catalog.name(1),
                            [h](std::string_view n) -> std::optional<std::string_view> {
                                auto it = h.find(std::string(n));
                                return it == h.end() ? std::nullopt : std::optional<std::string_view>(it->second);
                            });
    };
    EXPECT_EQ(ask(good).status, 200u);
    const auto refused = ask(bad);
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(client::s3::error_code(refused.body), "SignatureDoesNotMatch");
    EXPECT_EQ(mock::answer(o, "GET", "/billion/" + o.catalog.name(1)).status, 200u);  // anonymous: served
}

TEST(S3Routes, HostileListingsStrikeTheSecondPage) {
    auto o = bucket_of(30);
    const std::string second = "/billion?list-type=2&max-keys=10&continuation-token=" + o.catalog.key_token(10);
    o.hostile = mock::Hostile::no_token;
    auto e = client::s3::parse_list_page(mock::answer(o, "GET", second).body, "");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error(), "page IsTruncated but has no NextContinuationToken");
    o.hostile = mock::Hostile::repeat_marker;
    EXPECT_EQ(page_of(mock::answer(o, "GET", second)).next, o.catalog.key_token(10));
    o.hostile = mock::Hostile::bad_names;
    const auto first = page_of(mock::answer(o, "GET", "/billion?list-type=2&max-keys=10"));
    EXPECT_EQ(first.names.size(), 10u);
    EXPECT_EQ(first.rejected, 8u);
    o.hostile = mock::Hostile::malformed_json;
    EXPECT_FALSE(client::s3::parse_list_page(mock::answer(o, "GET", second).body, ""));
}
