// ETags and MD5 (see etag.hpp).
#include "client/s3/etag.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "client/s3/sigv4.hpp"

namespace billion::client::s3 {

std::string md5_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    ::EVP_Digest(data.data(), data.size(), md, &n, EVP_md5(), nullptr);
    return hex(std::string_view(reinterpret_cast<const char*>(md), n));
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
