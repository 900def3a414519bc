// System-level causes of failures (see os_error.hpp).
#include "client/os_error.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace billion::client {

std::string os_error(int err) {
    std::string s = std::strerror(err);
    switch (err) {
        case EMFILE:
            return s +
                   " (EMFILE): raise the open-file limit (ulimit -n) or lower --workers, --concurrency or --processes";
        case ENFILE: return s + " (ENFILE): the whole system is out of file handles";
        case ENOSPC: return s + " (ENOSPC): the output file system is full (space or inodes)";
        case EDQUOT: return s + " (EDQUOT): the disk quota is used up";
        default: return s;
    }
}

std::string connect_failure(const Endpoint& server, std::chrono::milliseconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(server.port);
    if (int rc = ::getaddrinfo(server.host.c_str(), port.c_str(), &hints, &found); rc != 0)
        return "cannot resolve " + server.host + ": " + ::gai_strerror(rc);
    std::string cause = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            cause = os_error(errno);
            break;  // no socket at all: the same for every address
        }
        int err = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
        if (err == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
            socklen_t len = sizeof err;
            if (ready == 0)
                err = ETIMEDOUT;
            else if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                err = errno;
        }
        ::close(fd);
        if (err == 0) {
            cause = "the connection failed, but a second try went through (a passing fault)";
            break;
        }
        cause = err == ETIMEDOUT ? "timed out after " + std::to_string(timeout.count()) + " ms" : os_error(err);
    }
    ::freeaddrinfo(found);
    return cause;
}

}  // namespace billion::client
