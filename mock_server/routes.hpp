// What the mock server answers to a request, as a pure function of its options: routing,
// pages, files, tokens and the hostile behaviours. Faults drawn at random and latency are
// the server's (server.cpp); this part is what the fuzzer drives.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mock_server/config.hpp"
#include "mock_server/counters.hpp"

namespace billion::mock {

struct Answer {
    Route route = Route::other;
    unsigned status = 200;
    std::string body;
    const char* content_type = "text/plain";
    bool stall = false;                    // hostile: never answer
    bool overlong = false;                 // hostile: more bytes than Content-Length
    const char* content_length = nullptr;  // hostile: this Content-Length instead of the size
};

// The answer to METHOD TARGET. /stats is the server's own and is only routed here.
Answer answer(const ServerConfig& o, std::string_view method, std::string_view target);

}  // namespace billion::mock
