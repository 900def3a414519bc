// Reusing a keep-alive connection: both API clients look at one that sat idle before it
// carries a request, so a connection the server closed meanwhile costs a new connection, not
// a failed request and a retry.
#pragma once

#include <chrono>

namespace billion::client {

// Idle this long, a connection may have been closed by the server (servers close idle
// keep-alive connections after a few seconds). In a busy loop the look, a system call, is
// skipped.
constexpr std::chrono::seconds kIdleLook{1};

// Whether the connection on fd, last used at last_used, must not carry another request: it
// sat idle past kIdleLook and the server has closed it or sent bytes nobody asked for.
bool stale(int fd, std::chrono::steady_clock::time_point last_used);

}  // namespace billion::client
