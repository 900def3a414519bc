// Framed messages (ipc.hpp's [u32 size][u8 type][payload]) received inside an Asio loop: a
// worker's coroutine awaits the parent's next message without blocking its downloaders.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <optional>

#include "client/processes/ipc.hpp"

namespace billion::client {

// The next message, or nothing at end of file or on a broken frame.
boost::asio::awaitable<std::optional<Message>> async_recv_message(boost::asio::posix::stream_descriptor& in);

}  // namespace billion::client
