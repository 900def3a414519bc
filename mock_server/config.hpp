// Settings of the mock server: catalog, threads, injected latency and faults.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/s3/sigv4.hpp"
#include "mock_server/catalog.hpp"

namespace billion::mock {

struct Faults {
    double error_rate = 0;       // share of requests answered 500 or 503 (transient)
    double throttle_rate = 0;    // share answered 429 with Retry-After
    unsigned retry_after_s = 0;  // the Retry-After value sent with 429
    double reset_rate = 0;       // share of requests whose connection is reset instead of answered
    double truncate_rate = 0;    // share of /get answers cut to half their Content-Length

    bool any() const { return error_rate > 0 || throttle_rate > 0 || reset_rate > 0 || truncate_rate > 0; }
};

// Deterministic misbehaviour, for the reliability tests: each strikes once, at a fixed place.
enum class Hostile {
    none,
    bad_names,        // the first page also lists names that must be refused (/, .., NUL, ...)
    malformed_json,   // the second page is cut-off JSON
    no_filenames,     // the second page has no FileNames
    repeat_marker,    // the second page's NextMarker points at itself
    duplicate_names,  // the second page lists a name of the first again
    stall,            // /get is never answered (the connection stays open)
    long_body,        // /get sends 50 bytes more than its Content-Length announces
    wrong_size,       // one file in 20 has a byte too few or too many (Content-Length agrees)
    bad_length,       // /get says "Content-Length: abc", sends the file, closes the connection
    negative_length,  // /get says "Content-Length: -1", sends the file, closes the connection
    no_token,         // the bucket's second page is truncated but carries no continuation token
};

const char* to_string(Hostile h);
// The mode named s ("none", "bad-names", ...), or nothing.
std::optional<Hostile> parse_hostile(std::string_view s);
inline constexpr const char* kHostileModes =
    "none, bad-names, malformed-json, no-filenames, repeat-marker, duplicate-names, stall, long-body, wrong-size, "
    "bad-length, negative-length, no-token";

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: the kernel picks a free port
    unsigned threads = 1;
    Catalog catalog;
    std::chrono::microseconds latency{0};  // added before every /list and /get answer
    std::chrono::microseconds jitter{0};   // plus a uniform random share of this
    Faults faults;
    std::uint64_t fault_seed = 1;
    Hostile hostile = Hostile::none;  // seeds the fault and jitter draws, so a run repeats
    // The catalog is also a bucket of this name, spoken to as S3 (mock_server/s3_routes.hpp).
    std::string bucket = "billion";
    // The keys a signed request must be signed with; none: only anonymous requests are served.
    std::optional<client::s3::Credentials> s3_keys;
};

}  // namespace billion::mock
