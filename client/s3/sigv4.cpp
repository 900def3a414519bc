// SigV4 signing and checking (see sigv4.hpp).
#include "client/s3/sigv4.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <utility>
#include <vector>

#include "client/check.hpp"

namespace billion::client::s3 {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kSignedHeaders = "host;x-amz-content-sha256;x-amz-date";

// SHA-256 fetched once a thread and one context reused: OpenSSL 3's one-shot SHA256() and HMAC()
// look the algorithm up on every call, which costs more than hashing a request.
struct Sha256 {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    Sha256() { BILLION_CHECK(md && ctx); }
    ~Sha256() {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
    }
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
};

Sha256& sha256() {
    thread_local Sha256 s;
    return s;
}

constexpr std::size_t kBlock = 64;  // SHA-256's block: an HMAC key is padded to it

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// The string to sign of a canonical request, as SigV4 defines it.
void string_to_sign(std::string& out, std::string_view amz_date, std::string_view scope, std::string_view canonical) {
    out.assign(kAlgorithm).append("\n").append(amz_date).append("\n").append(scope).append("\n");
    out += sha256_hex(canonical);
}

// A received query in canonical form: each name and value decoded and encoded again, sorted.
std::optional<std::string> canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        auto name = percent_decode(item.substr(0, eq));
        auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
        if (!name || !value) return std::nullopt;
        params.emplace_back(uri_encode(*name, false), uri_encode(*value, false));
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [n, v] : params)
        out.append(out.empty() ? "" : "&").append(n).append("=").append(v);
    return out;
}

// A header value as SigV4 signs it: trimmed, runs of spaces made one.
std::string trimmed(std::string_view v) {
    std::string out;
    bool space = false;
    for (char c : v) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

// name=value in "a=1, b=2" (the fields of an Authorization header), or "".
std::string_view field(std::string_view header, std::string_view name) {
    for (std::size_t at = header.find(name); at != std::string_view::npos; at = header.find(name, at + 1)) {
        const bool starts = at == 0 || header[at - 1] == ' ' || header[at - 1] == ',';
        if (!starts || at + name.size() >= header.size() || header[at + name.size()] != '=') continue;
        std::string_view v = header.substr(at + name.size() + 1);
        return v.substr(0, v.find_first_of(", "));
    }
    return {};
}

Refusal refuse(std::string code, std::string message) {
    return {403, std::move(code), std::move(message)};
}

}  // namespace

std::optional<Credentials> credentials_from_env() {
    Credentials c{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_REGION")};
    if (c.access_key.empty() || c.secret_key.empty()) return std::nullopt;
    if (c.region.empty()) c.region = env("AWS_DEFAULT_REGION");
    if (c.region.empty()) c.region = "us-east-1";
    return c;
}

std::string hex(std::string_view raw) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(raw.size() * 2, '0');
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const auto b = static_cast<unsigned char>(raw[i]);
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    return out;
}

std::string sha256_raw(std::string_view data) {
    auto& s = sha256();
    unsigned char md[SHA256_DIGEST_LENGTH];
    EVP_DigestInit_ex2(s.ctx, s.md, nullptr);
    EVP_DigestUpdate(s.ctx, data.data(), data.size());
    EVP_DigestFinal_ex(s.ctx, md, nullptr);
    return std::string(reinterpret_cast<const char*>(md), sizeof md);
}

std::string sha256_hex(std::string_view data) {
    return hex(sha256_raw(data));
}

HmacKey::HmacKey(std::string_view key) : inner_(EVP_MD_CTX_new()), outer_(EVP_MD_CTX_new()) {
    BILLION_CHECK(inner_ && outer_);
    std::string padded = key.size() > kBlock ? sha256_raw(key) : std::string(key);
    padded.resize(kBlock, '\0');
    std::string ipad = padded, opad = padded;
    for (std::size_t i = 0; i < kBlock; ++i) {
        ipad[i] = static_cast<char>(ipad[i] ^ 0x36);
        opad[i] = static_cast<char>(opad[i] ^ 0x5c);
    }
    auto& s = sha256();
    EVP_DigestInit_ex2(inner_, s.md, nullptr);
    EVP_DigestUpdate(inner_, ipad.data(), kBlock);
    EVP_DigestInit_ex2(outer_, s.md, nullptr);
    EVP_DigestUpdate(outer_, opad.data(), kBlock);
}

HmacKey::~HmacKey() {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
}

HmacKey::HmacKey(HmacKey&& o) noexcept : inner_(std::exchange(o.inner_, nullptr)), outer_(std::exchange(o.outer_, nullptr)) {}

HmacKey& HmacKey::operator=(HmacKey&& o) noexcept {
    std::swap(inner_, o.inner_);
    std::swap(outer_, o.outer_);
    return *this;
}

std::string HmacKey::mac(std::string_view data) const {
    auto& s = sha256();
    unsigned char md[SHA256_DIGEST_LENGTH];
    EVP_MD_CTX_copy_ex(s.ctx, inner_);
    EVP_DigestUpdate(s.ctx, data.data(), data.size());
    EVP_DigestFinal_ex(s.ctx, md, nullptr);
    EVP_MD_CTX_copy_ex(s.ctx, outer_);
    EVP_DigestUpdate(s.ctx, md, sizeof md);
    EVP_DigestFinal_ex(s.ctx, md, nullptr);
    return std::string(reinterpret_cast<const char*>(md), sizeof md);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    return HmacKey(key).mac(data);
}

std::string signing_key(std::string_view secret, std::string_view day, std::string_view region) {
    std::string k = hmac_sha256(std::string("AWS4").append(secret), day);
    k = hmac_sha256(k, region);
    k = hmac_sha256(k, "s3");
    return hmac_sha256(k, "aws4_request");
}

std::optional<std::string> percent_decode(std::string_view s) {
    auto hex_value = [](char h) {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return std::nullopt;
        out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
        i += 2;
    }
    return out;
}

std::string uri_encode(std::string_view s, bool keep_slash) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
        if (keep) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

void Signer::append_headers(std::string& out, std::string_view host, std::string_view prefix, std::string_view path_in,
                            std::time_t now) {
    const auto start = std::chrono::steady_clock::now();
    if (now != second_) {
        std::tm t{};
        ::gmtime_r(&now, &t);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &t);
        amz_date_ = buf;
        second_ = now;
        if (amz_date_.compare(0, 8, day_) != 0) {  // a new day: a new key (not one a request)
            day_ = amz_date_.substr(0, 8);
            key_ = HmacKey(signing_key(c_.secret_key, day_, c_.region));
            scope_ = day_ + "/" + c_.region + "/s3/aws4_request";
        }
    }
    target_.assign(prefix).append(path_in);
    const std::string_view target = target_;
    const auto q = target.find('?');
    const std::string_view path = target.substr(0, q);
    const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    canonical_.assign("GET\n").append(path).append("\n").append(query).append("\nhost:").append(host);
    canonical_.append("\nx-amz-content-sha256:").append(kEmptyPayloadHash).append("\nx-amz-date:").append(amz_date_);
    canonical_.append("\n\n").append(kSignedHeaders).append("\n").append(kEmptyPayloadHash);
    string_to_sign(to_sign_, amz_date_, scope_, canonical_);
    out.append("x-amz-date: ").append(amz_date_).append("\r\nx-amz-content-sha256: ").append(kEmptyPayloadHash);
    out.append("\r\nAuthorization: ").append(kAlgorithm).append(" Credential=").append(c_.access_key).append("/");
    out.append(scope_).append(", SignedHeaders=").append(kSignedHeaders).append(", Signature=");
    out.append(hex(key_.mac(to_sign_))).append("\r\n");
    if (signed_) ++*signed_;
    if (spent_ns_)
        *spent_ns_ += static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
}

std::optional<Refusal> check_signature(std::string_view method, std::string_view target, const HeaderOf& header,
                                       const std::optional<Credentials>& known) {
    const auto auth = header("authorization");
    if (!auth) return std::nullopt;  // anonymous: served
    if (!auth->starts_with(kAlgorithm))
        return refuse("AuthorizationHeaderMalformed", "only AWS4-HMAC-SHA256 signatures are understood");
    const std::string_view credential = field(*auth, "Credential");
    const std::string_view signed_headers = field(*auth, "SignedHeaders");
    const std::string_view signature = field(*auth, "Signature");
    // Credential = KEY/DAY/REGION/s3/aws4_request
    std::vector<std::string_view> scope;
    for (std::string_view rest = credential; !rest.empty();) {
        const auto slash = rest.find('/');
        scope.push_back(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    }
    if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request" || signed_headers.empty() ||
        signature.empty())
        return refuse("AuthorizationHeaderMalformed", "the Authorization header is malformed");
    if (!known || scope[0] != known->access_key)
        return refuse("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    const auto amz_date = header("x-amz-date");
    const auto payload = header("x-amz-content-sha256");
    if (!amz_date || !payload || !amz_date->starts_with(scope[1]))
        return refuse("AuthorizationHeaderMalformed", "x-amz-date and x-amz-content-sha256 must be sent and signed");

    const auto q = target.find('?');
    auto path = percent_decode(target.substr(0, q));
    auto query = canonical_query(q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
    if (!path || !query) return refuse("SignatureDoesNotMatch", "the request's target is not percent-encoded");
    std::string canonical = std::string(method) + "\n" + uri_encode(*path, true) + "\n" + *query + "\n";
    for (std::string_view rest = signed_headers; !rest.empty();) {
        const auto semi = rest.find(';');
        const std::string_view name = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        const auto value = header(name);
        canonical.append(name).append(":").append(value ? trimmed(*value) : std::string()).append("\n");
    }
    canonical.append("\n").append(signed_headers).append("\n").append(*payload);
    std::string to_sign;
    const std::string scope_text = std::string(credential.substr(credential.find('/') + 1));
    string_to_sign(to_sign, *amz_date, scope_text, canonical);
    // The day's key derived once a server thread, as a client derives it once a day.
    struct DayKey {
        std::string secret, day, region;
        HmacKey key;
    };
    thread_local DayKey cached;
    if (cached.secret != known->secret_key || cached.day != scope[1] || cached.region != scope[2])
        cached = {known->secret_key, std::string(scope[1]), std::string(scope[2]),
                  HmacKey(signing_key(known->secret_key, scope[1], scope[2]))};
    const std::string expected = hex(cached.key.mac(to_sign));
    if (expected.size() != signature.size() || CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0)
        return refuse("SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided.");
    return std::nullopt;
}

}  // namespace billion::client::s3
