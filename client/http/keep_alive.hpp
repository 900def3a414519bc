// Reusing a keep-alive connection: both API clients look at one that sat idle before it
// carries a request, so a connection the server closed meanwhile costs a new connection, not
// a failed request and a retry.
#pragma once

#include <chrono>

namespace billion::client {

// Whether the connection on fd, last used at last_used, must not carry another request: it
// sat idle past idle_look (ClientConfig) and the server has closed it or sent bytes nobody
// asked for.
bool stale(int fd, std::chrono::steady_clock::time_point last_used, std::chrono::milliseconds idle_look);

}  // namespace billion::client
