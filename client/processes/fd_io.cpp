// Whole reads and writes (see fd_io.hpp).
#include "client/processes/fd_io.hpp"

#include <unistd.h>

#include <cerrno>

namespace billion::client {

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool read_exact(int fd, void* out, std::size_t n) {
    auto* p = static_cast<char*>(out);
    while (n > 0) {
        ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

}  // namespace billion::client
