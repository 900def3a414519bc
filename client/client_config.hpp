// How an API client behaves: timeouts, retries and their backoff, the size every file must
// have, and the stop flag. One value, shared by the blocking and the asynchronous client.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "client/http/names.hpp"
#include "client/request_hook.hpp"
#include "client/s3/sigv4.hpp"

namespace billion::client {

// How often a wait looks at the stop flag (a backoff's slice, a loop's stop timer, the watch
// over a peer tool or a spread of runs): a stop is seen within it.
inline constexpr std::chrono::milliseconds kStopCheck{20};

struct ClientConfig {
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds read_timeout{10000};
    int max_attempts = 6;                       // per request, the first try included
    std::chrono::milliseconds backoff_base{5};  // first backoff; doubles each try
    std::chrono::milliseconds backoff_cap{1000};
    // Idle this long, a keep-alive connection may have been closed by the server (servers close
    // idle ones after a few seconds): it is looked at before it carries a request
    // (http/keep_alive.hpp). In a busy loop the look, a system call, is skipped.
    std::chrono::milliseconds idle_look{1000};
    std::chrono::milliseconds retry_after_cap{10000};  // a longer Retry-After is cut to this
    std::uint32_t max_file_bytes = 1u << 20;           // a larger body is a protocol error
    // Every file has this many bytes (the API's default; the server may be told another): a
    // file of another size is refused, never stored. 0: any size up to max_file_bytes.
    std::uint32_t file_size = 100;
    // Which file names are accepted (--names): the API's rule, or any safe path component.
    NameRule names = NameRule::contract;
    // --urls FILE: the listing is that file of URLs, read a page at a time (http/url_list.hpp),
    // instead of the server's /list; empty: the API's. get_prefix: what a GET puts before a
    // name (the API's /get/, or the URLs' directory).
    std::string urls_file;
    std::string get_prefix = "/get/";
    // --s3: the listing is a bucket's (ListObjectsV2 under prefix, client/s3/), get_prefix its
    // /BUCKET/PREFIX; every request signed (SigV4) when credentials are set. Nothing: the API's.
    struct S3 {
        std::string bucket;
        std::string prefix;
        std::optional<s3::Credentials> credentials;
    };
    std::optional<S3> s3;
    // Set on Ctrl-C: a request in flight may finish, but no new try starts and no backoff
    // is waited out. Worker processes see it only when it lives in shared memory (SharedFlag, ipc.hpp).
    const std::atomic<bool>* stop = nullptr;
    // The talk's hidden variables (--client-cpu): client CPU burnt for every answer, as an
    // interpreter's per-request work. Carried as a setting; a hook does the work.
    std::chrono::microseconds cpu_per_request{0};
    // Called around each request's waits and after its answer (client/request_hook.hpp); set
    // by whoever runs the teaching model (client/teaching/interpreter.hpp), null otherwise.
    const RequestHook* hook = nullptr;

    bool stopping() const { return stop && stop->load(std::memory_order_relaxed); }
};

}  // namespace billion::client
