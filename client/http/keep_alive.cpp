// Looking at an idle keep-alive connection (see keep_alive.hpp).
#include "client/http/keep_alive.hpp"

#include <poll.h>

namespace billion::client {

bool stale(int fd, std::chrono::steady_clock::time_point last_used, std::chrono::milliseconds idle_look) {
    if (fd < 0 || std::chrono::steady_clock::now() - last_used <= idle_look) return false;
    pollfd p{fd, POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) != 0;  // readable (a close, a reset, stray bytes) or an error
}

}  // namespace billion::client
