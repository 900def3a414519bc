// The asynchronous API client (Boost.Beast + Asio C++20 coroutines): one keep-alive
// connection, list and get with retries. Used by the async and combo strategies; a loop runs
// many of these at once, each a coroutine awaiting its own connection.
#pragma once

#include "client/boost_shim.hpp"  // first

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <optional>
#include <string>

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
    // As ApiClient::list and ApiClient::get, awaited instead of blocking.
    boost::asio::awaitable<std::optional<Page>> list(std::string token);
    boost::asio::awaitable<std::optional<Page>> next_page(PageWalk& walk);
    boost::asio::awaitable<std::optional<std::string>> get(std::string name);
    // Closes the connection (a stop request: in-flight work ends with an error).
    void close();

private:
    boost::asio::awaitable<Exchange> exchange(const std::string& target);
    boost::asio::awaitable<bool> pause(std::chrono::microseconds d);  // false: stopping

    boost::beast::tcp_stream stream_;
    boost::asio::steady_timer timer_;
    boost::beast::flat_buffer buffer_;
    boost::asio::ip::tcp::resolver::results_type endpoints_;
    std::string host_;
    bool connected_ = false;
    RetryPolicy policy_;
    WorkerStats& stats_;
};

}  // namespace billion::client
