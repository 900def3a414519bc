// ETags and MD5 (see etag.hpp).
#include "client/s3/etag.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "client/check.hpp"
#include "client/s3/sigv4.hpp"

namespace billion::client::s3 {

std::string md5_hex(std::string_view data) {
    // MD5 fetched once a thread and its context reused: OpenSSL 3 looks an algorithm up on every
    // one-shot call, which costs more than hashing a 100-byte file (the server hashes each it sends).
    struct Md5 {
        EVP_MD* md = EVP_MD_fetch(nullptr, "MD5", nullptr);
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        Md5() { BILLION_CHECK(md && ctx); }
        ~Md5() {
            EVP_MD_CTX_free(ctx);
            EVP_MD_free(md);
        }
        Md5(const Md5&) = delete;
        Md5& operator=(const Md5&) = delete;
    };
    thread_local Md5 m;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestInit_ex2(m.ctx, m.md, nullptr);
    EVP_DigestUpdate(m.ctx, data.data(), data.size());
    EVP_DigestFinal_ex(m.ctx, out, &n);
    return hex(std::string_view(reinterpret_cast<const char*>(out), n));
}

std::optional<std::string> etag_md5(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    if (etag.size() != 32 || !std::all_of(etag.begin(), etag.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    std::string out(etag);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

}  // namespace billion::client::s3
