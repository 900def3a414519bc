// What the mock server answers to a request, as a pure function of its options: routing,
// pages, files, tokens and the hostile behaviours. Faults drawn at random and latency are
// the server's (server.cpp); this part is what the fuzzer drives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_server/config.hpp"
#include "mock_server/counters.hpp"

namespace billion::mock {

struct Answer {
    Route route = Route::other;
    unsigned status = 200;
    std::string body;
    const char* content_type = "text/plain";
    std::vector<std::pair<const char*, std::string>> headers;  // S3's: ETag, Last-Modified
    bool head = false;                     // HEAD: the body's length announced, no body sent
    bool stall = false;                    // hostile: never answer
    bool overlong = false;                 // hostile: more bytes than Content-Length
    const char* content_length = nullptr;  // hostile: this Content-Length instead of the size
};

// The answer to METHOD TARGET (with its headers, which only a signed S3 request needs). /stats
// is the server's own and is only routed here. Paths under /BUCKET are S3's (s3_routes.hpp).
Answer answer(const ServerConfig& o, std::string_view method, std::string_view target,
              const client::s3::HeaderOf& header = {});

// File index's answer, with what a hostile mode does to a file (shared by /get and S3's GET).
Answer file(const ServerConfig& o, std::uint64_t index);

// A query's decoded value of name, or nothing when absent or not percent-encoded.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

}  // namespace billion::mock
