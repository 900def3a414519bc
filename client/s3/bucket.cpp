// Bucket addresses and request targets (see bucket.hpp).
#include "client/s3/bucket.hpp"

#include "client/s3/sigv4.hpp"

namespace billion::client::s3 {

namespace {

bool valid_bucket(std::string_view b) {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (b.size() < 3 || b.size() > 63 || !alnum(b.front()) || !alnum(b.back())) return false;
    for (char c : b)
        if (!alnum(c) && c != '.' && c != '-') return false;
    return true;
}

}  // namespace

std::string Bucket::url() const {
    std::string u = server.url();
    u.append("/").append(name);
    if (!prefix.empty()) u.append("/").append(prefix);
    return u;
}

Expected<Bucket> parse_bucket_url(std::string_view url) {
    constexpr std::string_view scheme = "http://";
    const std::string example = " (expected http://HOST:PORT/BUCKET[/PREFIX])";
    if (!has_http_scheme(url)) return "not an http:// address: " + std::string(url) + example;
    const auto slash = url.find('/', scheme.size());
    if (slash == std::string_view::npos) return "no bucket in " + std::string(url) + example;
    auto server = parse_url(url.substr(0, slash));
    if (!server) return "bad server address in " + std::string(url) + example;
    std::string_view rest = url.substr(slash + 1);
    const auto end = rest.find('/');
    Bucket b{*server, std::string(rest.substr(0, end)),
             end == std::string_view::npos ? std::string() : std::string(rest.substr(end + 1))};
    if (!valid_bucket(b.name))
        return "not a bucket name: '" + b.name + "' (3 to 63 of a-z, 0-9, '.' and '-', a letter or digit at each end)";
    if (b.prefix.find_first_of("?#%") != std::string::npos)
        return "the prefix '" + b.prefix + "' is a key's first characters, unencoded, without ? # or %";
    return b;
}

std::string list_target(std::string_view bucket, std::string_view prefix, std::string_view token) {
    std::string t = "/";
    t.append(bucket).append("?");
    if (!token.empty()) t.append("continuation-token=").append(uri_encode(token, false)).append("&");
    t.append("list-type=2&max-keys=").append(std::to_string(kMaxKeys));
    if (!prefix.empty()) t.append("&prefix=").append(uri_encode(prefix, false));
    return t;
}

std::string object_prefix(std::string_view bucket, std::string_view prefix) {
    std::string p = "/";
    return p.append(uri_encode(bucket, false)).append("/").append(uri_encode(prefix, true));
}

}  // namespace billion::client::s3
