// Where the server is (parsed from http://HOST:PORT) and how query values are encoded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/s3/sigv4.hpp"

namespace billion::client {

struct Endpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string url() const { return "http://" + host + ":" + std::to_string(port); }
    std::string authority() const { return host + ":" + std::to_string(port); }  // the Host header
};

// Whether url starts with http:// in any case (RFC 3986: a scheme is case-insensitive).
bool has_http_scheme(std::string_view url);
// http://HOST[:PORT][/]; nothing for anything else (no TLS, no path prefix).
std::optional<Endpoint> parse_url(std::string_view url);
// RFC 3986 percent-encoding of a query value: everything but unreserved characters.
std::string percent_encode(std::string_view value);
// The request target of a page: /list or /list?next-marker=ENCODED.
std::string list_target(std::string_view token);
// The bytes of GET prefix+path to host, written into out (reused by the caller: no
// allocation once it has grown), signed by signer when there is one; append_request adds
// them after what out holds (pipelining).
void build_request(std::string& out, std::string_view host, std::string_view prefix, std::string_view path,
                   s3::Signer* signer = nullptr);
void append_request(std::string& out, std::string_view host, std::string_view prefix, std::string_view path,
                    s3::Signer* signer = nullptr);

}  // namespace billion::client
