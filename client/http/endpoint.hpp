// Where the server is (parsed from http://HOST:PORT) and how query values are encoded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace billion::client {

struct Endpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string url() const { return "http://" + host + ":" + std::to_string(port); }
};

// http://HOST[:PORT][/]; nothing for anything else (no TLS, no path prefix).
std::optional<Endpoint> parse_url(std::string_view url);
// RFC 3986 percent-encoding of a query value: everything but unreserved characters.
std::string percent_encode(std::string_view value);
// The request target of a page: /list or /list?next-marker=ENCODED.
std::string list_target(std::string_view token);

}  // namespace billion::client
