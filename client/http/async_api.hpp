// The asynchronous API client (Asio C++20 coroutines): one keep-alive connection, list and
// get with retries. Used by the async, combo and cluster strategies; a loop runs many of
// these at once, each a coroutine awaiting its own connection.
//
// Lean by design (the fastest rows are bounded by it): a plain socket, one deadline per
// connection that each request stamps instead of re-arming a timer, request bytes written
// into a reused string, the answer parsed by Beast's basic_parser from a reused buffer into a
// reused body: nothing of its own allocated per request once the buffers have grown (its
// coroutine frames come from Asio's recycling allocator).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <span>
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

class AsyncApiClient {
public:
    // Resolves the server's address once, here (blocking; an IP literal costs nothing).
    AsyncApiClient(boost::asio::any_io_executor ex, const Endpoint& server, const ClientConfig& options,
                   WorkerStats& stats);
    // As ApiClient::list and ApiClient::get, awaited instead of blocking. seen: told the
    // page's NextMarker before its names are checked (the token chain hands it on then).
    boost::asio::awaitable<std::optional<Page>> list(std::string token, MarkerSeen seen = {});
    boost::asio::awaitable<std::optional<Page>> next_page(PageWalk& walk);
    // The file's bytes, valid until this client's next request. name must outlive the await.
    boost::asio::awaitable<std::optional<std::string_view>> get(std::string_view name);
    // HTTP/1.1 pipelining (--pipeline): every name's request written at once, the answers
    // read in order; then file(k) is names[k]'s bytes or nothing (its failure counted), valid
    // until this client's next request. A name whose answer did not come whole (the
    // connection failed mid-pipeline) or asked to be retried (429, 503) is fetched once more
    // on its own, with get()'s retries: no file twice, none lost.
    boost::asio::awaitable<void> get_all(std::span<const std::string_view> names);
    std::optional<std::string_view> file(std::size_t k) const {
        return k < fetched_.size() && fetched_[k] ? std::optional<std::string_view>(files_[k]) : std::nullopt;
    }
    // Closes the connection (a stop request: in-flight work ends with an error).
    void close();
    // This client's work is over: closes, and lets its deadline timer end so the loop can.
    void finish();

private:
    using clock = std::chrono::steady_clock;
    // One request for prefix + path, its answer (at most limit body bytes) in answer_.
    boost::asio::awaitable<void> exchange(std::string_view prefix, std::string_view path, std::uint64_t limit);
    // request_ written (false: failed, answer_ says why and the connection is closed).
    boost::asio::awaitable<bool> send();
    // One answer into answer_, at most limit body bytes; more: further answers follow on this
    // connection (pipelined). On a failure answer_ says which and the connection is closed.
    // False when the connection cannot carry another request.
    boost::asio::awaitable<bool> read_answer(std::uint64_t limit, bool more);
    void fail(Exchange::Transport t, const boost::beast::error_code& ec);  // a transport failure
    boost::asio::awaitable<bool> connect();
    boost::asio::awaitable<bool> pause(std::chrono::microseconds d);  // false: stopping
    void stamp(std::chrono::milliseconds timeout);                    // a request starts
    void watch();                                                     // the deadline's timer

    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer deadline_timer_;               // armed rarely: see watch()
    boost::asio::steady_timer pause_timer_;                  // backoff between tries
    clock::time_point deadline_ = clock::time_point::max();  // of the request in flight
    clock::time_point last_used_;                            // the last answer's end (keep_alive.hpp)
    bool in_flight_ = false;
    bool watching_ = false;
    bool timed_out_ = false;
    bool finished_ = false;
    std::string request_;             // the request's bytes (reused)
    AnswerReader reader_;             // the answer's parser and its input buffer (reused)
    Exchange answer_;                 // the last answer; its body's storage is reused
    std::vector<std::string> files_;  // get_all's bodies, swapped with answer_'s (storage reused)
    std::vector<char> fetched_;       // get_all: files_[k] holds names[k]'s bytes
    std::vector<char> again_;         // get_all: names[k] is fetched once more on its own
    boost::asio::ip::tcp::resolver::results_type endpoints_;
    std::string host_;                   // the Host header: HOST:PORT
    std::optional<s3::Signer> signer_;  // --s3 with credentials: each request signed
    bool connected_ = false;
    RetryPolicy policy_;
    WorkerStats& stats_;
};

}  // namespace billion::client
