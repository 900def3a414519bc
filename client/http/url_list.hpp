// A list of URLs as the listing (--urls FILE): instead of walking /list, every strategy walks
// the file a page at a time. The token of a page is the byte offset of its first line, so
// the multi-process strategies hand out ranges of the file as they hand out page tokens.
//
// Supported: http:// URLs of one host and one directory, http://HOST[:PORT]/DIR/NAME (a
// CDN's or a bucket's files): a GET is then the directory's path and the name, as /get/NAME
// is for the API. Refused, each with its line: another scheme, several hosts or directories,
// a query or a fragment, no file name, a name the name rule refuses once decoded (a
// traversal), a name twice. Blank lines and # comments are allowed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "client/http/endpoint.hpp"
#include "client/http/names.hpp"
#include "client/http/page.hpp"

namespace billion::client {

struct UrlList {
    std::string file;
    Endpoint server;          // the one host
    std::string prefix;       // the directory's path, "/" at both ends: what precedes a name in a GET
    std::uint64_t count = 0;  // URLs in the file
    std::string digest;       // of every byte of the file, in hex: a resume checks it is the same list
};

// Checks every line of the file once (memory: one 16-byte entry a URL while it checks, to
// find a name twice). The list, or "FILE:LINE: why" for the first line refused.
Expected<UrlList> open_url_list(const std::string& file, NameRule rule = NameRule::contract);

// Names a page of the file holds: the API's default page size.
inline constexpr std::size_t kUrlsPerPage = 1000;

// The page that token points at ("" for the first: offset 0): the stored names of up to
// kUrlsPerPage URLs from that offset, and the offset after them as next (none at the end).
// Refused when the file cannot be read or token is not an offset of it.
Expected<Page> read_url_page(const std::string& file, const std::string& token, NameRule rule);

}  // namespace billion::client
