// The blocking API client: one keep-alive connection, list and get with retries. Used by the
// synchronous, thread-pool and multi-process strategies.
//
// A plain blocking socket with the kernel's send and receive timeouts, request bytes in a
// reused string, the answer read by the same AnswerReader as the asynchronous client. It
// replaced cpp-httplib, which polled and peeked beyond the send and receive a request
// (docs/decisions.md).
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/http/answer_reader.hpp"
#include "client/http/endpoint.hpp"
#include "client/http/listing.hpp"
#include "client/http/page.hpp"
#include "client/http/retry.hpp"
#include "client/stats.hpp"

namespace billion::client {

class ApiClient {
public:
    ApiClient(const Endpoint& server, const ClientConfig& options, WorkerStats& stats);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;
    // The page a token points at ("" for the first). Nothing when it cannot be had: the
    // failure is counted in stats, as fatal (the listing cannot go on).
    std::optional<Page> list(const std::string& token);
    // The next page of a walk, or nothing when the listing is over (done, or failed: counted).
    std::optional<Page> next_page(PageWalk& walk);
    // The bytes of a file, valid until this client's next request. Nothing when it cannot be
    // had: the failure is counted in stats.
    std::optional<std::string_view> get(std::string_view name);

private:
    using clock = std::chrono::steady_clock;
    // One request for prefix + path, its answer (at most limit body bytes) in answer_.
    void exchange(std::string_view prefix, std::string_view path, std::uint64_t limit);
    bool connect();                         // false: answer_ says why
    bool send_request();                    // request_ sent; false: answer_ says why, the connection is closed
    void read_answer(std::uint64_t limit);  // into answer_; on a failure the connection is closed
    void fail(Exchange::Transport t, int err);
    void fail_io(int err);
    void close();

    Endpoint server_;
    std::string host_;                   // the Host header: HOST:PORT
    std::optional<s3::Signer> signer_;  // --s3 with credentials: each request signed
    struct Address {
        sockaddr_storage storage;
        socklen_t length;
    };
    std::vector<Address> addresses_;  // resolved once
    int fd_ = -1;
    clock::time_point last_used_;
    std::string request_;  // the request's bytes (reused)
    AnswerReader reader_;  // the answer's parser and its input buffer (reused)
    Exchange answer_;      // the last answer; its body's storage is reused
    RetryPolicy policy_;
    WorkerStats& stats_;
};

}  // namespace billion::client
