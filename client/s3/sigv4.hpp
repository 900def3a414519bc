// AWS Signature Version 4, header form, as S3 uses it (docs/s3.md): the client signs each
// request with a key derived once a day; the mock server checks a signature by the same rules.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace billion::client::s3 {

struct Credentials {
    std::string access_key;
    std::string secret_key;
    std::string region = "us-east-1";
};

// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_REGION, else AWS_DEFAULT_REGION, else
// us-east-1); nothing unless both keys are set.
std::optional<Credentials> credentials_from_env();

// The SHA-256 of an empty body, which every GET signs.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string hex(std::string_view raw);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw bytes
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), "s3"), "aws4_request").
std::string signing_key(std::string_view secret, std::string_view day, std::string_view region);
// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, every other byte %XX in
// upper-case hex; '/' kept too when keep_slash (a path).
std::string uri_encode(std::string_view s, bool keep_slash);
// RFC 3986 percent-decoding ('+' is itself); nothing for a broken escape.
std::optional<std::string> percent_decode(std::string_view s);

// HMAC-SHA256 under one key, its padded key's two hash states computed once: a message then
// costs its own blocks and one more, not the key's (a signature a request, one key a day).
class HmacKey {
public:
    explicit HmacKey(std::string_view key = {});
    ~HmacKey();
    HmacKey(const HmacKey&) = delete;
    HmacKey& operator=(const HmacKey&) = delete;
    HmacKey(HmacKey&& o) noexcept;
    HmacKey& operator=(HmacKey&& o) noexcept;
    std::string mac(std::string_view data) const;  // raw bytes

private:
    evp_md_ctx_st* inner_ = nullptr;
    evp_md_ctx_st* outer_ = nullptr;
};

// Signs GET requests with one set of credentials. Not thread-safe: one per client.
class Signer {
public:
    // signed_count, spent_ns: where each signature is counted and its time added (a worker's stats).
    explicit Signer(Credentials c, std::uint64_t* signed_count = nullptr, std::uint64_t* spent_ns = nullptr)
        : c_(std::move(c)), signed_(signed_count), spent_ns_(spent_ns) {}
    // Appends the header lines that sign GET prefix+path (an encoded path, then an optional
    // canonical query: sorted, encoded) sent to host (the Host header's value) at now.
    void append_headers(std::string& out, std::string_view host, std::string_view prefix, std::string_view path,
                        std::time_t now);

private:
    Credentials c_;
    std::uint64_t* signed_;
    std::uint64_t* spent_ns_;
    std::string day_;       // yyyymmdd of key_
    HmacKey key_;           // the day's signing key
    std::string scope_;     // day/region/s3/aws4_request
    std::time_t second_ = -1;
    std::string amz_date_;  // yyyymmddThhmmssZ of second_
    std::string target_, canonical_, to_sign_;  // reused for every request
};

// A signed request's header, looked up by its lower-case name.
using HeaderOf = std::function<std::optional<std::string_view>(std::string_view)>;

// Why a request signed with SigV4 is refused, as S3 names it.
struct Refusal {
    unsigned status = 403;
    std::string code;  // SignatureDoesNotMatch, InvalidAccessKeyId, AuthorizationHeaderMalformed, ...
    std::string message;
};

// Checks the Authorization header of METHOD TARGET (as received: path and query encoded)
// against the keys the server knows (none: every signed request is refused). Nothing when
// the signature holds.
std::optional<Refusal> check_signature(std::string_view method, std::string_view target, const HeaderOf& header,
                                       const std::optional<Credentials>& known);

}  // namespace billion::client::s3
