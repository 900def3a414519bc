// SigV4: AWS's own worked example checked, a signature of ours checked back, and the keys a
// check refuses; S3's MD5 ETags.
#include <gtest/gtest.h>

#include <map>

#include "client/s3/etag.hpp"
#include "client/s3/sigv4.hpp"

using namespace billion::client::s3;

namespace {

using Headers = std::map<std::string, std::string>;

HeaderOf lookup(const Headers& h) {
    return [&h](std::string_view name) -> std::optional<std::string_view> {
        auto it = h.find(std::string(name));
        if (it == h.end()) return std::nullopt;
        return std::string_view(it->second);
    };
}

// AWS's "GET Object" example of signing the Authorization header (the S3 API reference,
// "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk").
Headers aws_example() {
    return {{"host", "examplebucket.s3.amazonaws.com"},
            {"range", "bytes=0-9"},
            {"x-amz-content-sha256", std::string(kEmptyPayloadHash)},
            {"x-amz-date", "20130524T000000Z"},
            {"authorization",
             "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
             "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
             "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}};
}

const Credentials kAwsKeys{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1"};

// The header lines a Signer appends, as a lookup (names lower-cased).
Headers signed_headers(Signer& s, std::string_view host, std::string_view prefix, std::string_view path) {
    std::string lines;
    s.append_headers(lines, host, prefix, path, 1'765'000'000);
    Headers h{{"host", std::string(host)}};
    for (std::size_t at = 0; at < lines.size();) {
        const auto end = lines.find("\r\n", at);
        const std::string line = lines.substr(at, end - at);
        const auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        h[name] = line.substr(colon + 2);
        at = end + 2;
    }
    return h;
}

}  // namespace

TEST(SigV4, AwsWorkedExampleHolds) {
    const Headers h = aws_example();
    EXPECT_FALSE(check_signature("GET", "/test.txt", lookup(h), kAwsKeys));
}

TEST(SigV4, AChangedRequestOrKeyIsRefusedAsS3Names) {
    Headers h = aws_example();
    h["range"] = "bytes=0-10";
    auto r = check_signature("GET", "/test.txt", lookup(h), kAwsKeys);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, "SignatureDoesNotMatch");
    EXPECT_EQ(r->status, 403u);

    h = aws_example();
    EXPECT_EQ(check_signature("GET", "/other.txt", lookup(h), kAwsKeys)->code, "SignatureDoesNotMatch");
    Credentials wrong_secret = kAwsKeys;
    wrong_secret.secret_key[0] = 'x';
    EXPECT_EQ(check_signature("GET", "/test.txt", lookup(h), wrong_secret)->code, "SignatureDoesNotMatch");
    Credentials other_key = kAwsKeys;
    other_key.access_key = "AKIDOTHER";
    EXPECT_EQ(check_signature("GET", "/test.txt", lookup(h), other_key)->code, "InvalidAccessKeyId");
    EXPECT_EQ(check_signature("GET", "/test.txt", lookup(h), std::nullopt)->code, "InvalidAccessKeyId");
    h["authorization"] = "AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl";  // Signature Version 2
    EXPECT_EQ(check_signature("GET", "/test.txt", lookup(h), kAwsKeys)->code, "AuthorizationHeaderMalformed");
}

TEST(SigV4, AnUnsignedRequestIsNotChecked) {
    const Headers none;
    EXPECT_FALSE(check_signature("GET", "/b/k", lookup(none), std::nullopt));
}

TEST(SigV4, OurSignatureChecksOutForListingsAndObjects) {
    const Credentials keys{"AKIDBILLION", "secret/with+chars", "eu-west-3"};
    Signer signer(keys);
    const std::string list = "/bucket?continuation-token=k1.2%2B3&list-type=2&max-keys=1000&prefix=a%20b";
    auto h = signed_headers(signer, "127.0.0.1:9000", "", list);
    EXPECT_FALSE(check_signature("GET", list, lookup(h), keys));
    EXPECT_NE(h["authorization"].find("Credential=AKIDBILLION/20251206/eu-west-3/s3/aws4_request"), std::string::npos)
        << h["authorization"];
    // The server sorts a query the client sent unsorted: the same canonical request.
    EXPECT_FALSE(check_signature("GET", "/bucket?prefix=a%20b&list-type=2&max-keys=1000&continuation-token=k1.2%2B3",
                                 lookup(h), keys));
    h = signed_headers(signer, "127.0.0.1:9000", "/bucket/dir/", "file%20one.bin");
    EXPECT_FALSE(check_signature("GET", "/bucket/dir/file%20one.bin", lookup(h), keys));
    EXPECT_TRUE(check_signature("GET", "/bucket/dir/file%20two.bin", lookup(h), keys));
    h["host"] = "127.0.0.1:9001";
    EXPECT_TRUE(check_signature("GET", "/bucket/dir/file%20one.bin", lookup(h), keys));
}

TEST(SigV4, CountsWhatItSigns) {
    std::uint64_t count = 0, ns = 0;
    Signer signer({"AKID", "secret", "us-east-1"}, &count, &ns);
    std::string out;
    for (int i = 0; i < 3; ++i)
        signer.append_headers(out, "h:1", "/b/", "k", 1'765'000'000 + i);
    EXPECT_EQ(count, 3u);
    EXPECT_GT(ns, 0u);
}

TEST(SigV4, UriEncodingKeepsUnreservedAndMaybeSlash) {
    EXPECT_EQ(uri_encode("a-b_c.d~e/f g+h", false), "a-b_c.d~e%2Ff%20g%2Bh");
    EXPECT_EQ(uri_encode("a-b_c.d~e/f g+h", true), "a-b_c.d~e/f%20g%2Bh");
}

TEST(ETag, IsTheMd5OfASinglePartObject) {
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("The quick brown fox jumps over the lazy dog"), "9e107d9d372bb6826bd81d3542a419d6");
    EXPECT_EQ(etag_md5("\"9E107D9D372BB6826BD81D3542A419D6\""), "9e107d9d372bb6826bd81d3542a419d6");
    EXPECT_EQ(etag_md5("9e107d9d372bb6826bd81d3542a419d6"), "9e107d9d372bb6826bd81d3542a419d6");
    EXPECT_FALSE(etag_md5("\"9e107d9d372bb6826bd81d3542a419d6-3\""));  // multipart: no body can be checked by it
    EXPECT_FALSE(etag_md5(""));
    EXPECT_FALSE(etag_md5("\"zz107d9d372bb6826bd81d3542a419d6\""));
}
