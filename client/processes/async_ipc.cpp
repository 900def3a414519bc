// Awaiting a framed message (see async_ipc.hpp).
#include "client/processes/async_ipc.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdint>

namespace billion::client {

namespace asio = boost::asio;

asio::awaitable<std::optional<Message>> async_recv_message(asio::posix::stream_descriptor& in) {
    // Declared before any co_await: GCC 12 mishandles some locals of coroutines declared later.
    std::uint32_t size = 0;
    Message m;
    boost::system::error_code ec;
    co_await asio::async_read(in, asio::buffer(&size, 4), asio::redirect_error(asio::use_awaitable, ec));
    if (ec || size > kMaxMessageBytes) co_return std::nullopt;
    co_await asio::async_read(in, asio::buffer(&m.type, 1), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    m.payload.assign(size, '\0');
    if (size) co_await asio::async_read(in, asio::buffer(m.payload), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    co_return m;
}

}  // namespace billion::client
