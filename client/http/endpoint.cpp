// Server address parsing and query encoding.
#include "client/http/endpoint.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

namespace billion::client {

bool has_http_scheme(std::string_view url) {
    constexpr std::string_view scheme = "http://";
    return url.size() >= scheme.size() && std::equal(scheme.begin(), scheme.end(), url.begin(), [](char a, char b) {
               return a == std::tolower(static_cast<unsigned char>(b));
           });
}

std::optional<Endpoint> parse_url(std::string_view url) {
    constexpr std::string_view scheme = "http://";
    if (!has_http_scheme(url)) return std::nullopt;
    url.remove_prefix(scheme.size());
    if (url.ends_with('/')) url.remove_suffix(1);
    if (url.empty() || url.find('/') != std::string_view::npos) return std::nullopt;
    Endpoint ep;
    auto colon = url.rfind(':');
    if (colon == std::string_view::npos) {
        ep.host = std::string(url);
        ep.port = 80;
        return ep;
    }
    ep.host = std::string(url.substr(0, colon));
    if (ep.host.find_first_of("[]:@") != std::string::npos) return std::nullopt;  // IPv6, user info
    auto digits = url.substr(colon + 1);
    unsigned port = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ep.host.empty() || ec != std::errc{} || p != digits.data() + digits.size() || port == 0 || port > 65535)
        return std::nullopt;
    ep.port = static_cast<std::uint16_t>(port);
    return ep;
}

std::string percent_encode(std::string_view value) {
    return s3::uri_encode(value, false);
}

std::string list_target(std::string_view token) {
    if (token.empty()) return "/list";
    return "/list?next-marker=" + percent_encode(token);
}

void append_request(std::string& out, std::string_view host, std::string_view prefix, std::string_view path,
                    s3::Signer* signer) {
    out.append("GET ").append(prefix).append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
    if (signer) signer->append_headers(out, host, prefix, path, std::time(nullptr));
    out.append("\r\n");
}

void build_request(std::string& out, std::string_view host, std::string_view prefix, std::string_view path,
                   s3::Signer* signer) {
    out.clear();
    append_request(out, host, prefix, path, signer);
}

}  // namespace billion::client
