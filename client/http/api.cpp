// The blocking API client (see api.hpp).
#include "client/http/api.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/http/keep_alive.hpp"
#include "client/http/listing.hpp"
#include "client/os_error.hpp"

namespace billion::client {

using T = Exchange::Transport;

namespace {

timeval to_timeval(std::chrono::milliseconds d) {
    return {static_cast<time_t>(d.count() / 1000), static_cast<suseconds_t>(d.count() % 1000 * 1000)};
}

// Waits for a non-blocking connect; 0 or the errno it failed with (ETIMEDOUT: none in time).
int wait_connected(int fd, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        pollfd p{fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return errno;
        if (ready == 0) return ETIMEDOUT;
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
        return err;
    }
}

}  // namespace

ApiClient::ApiClient(const Endpoint& server, const ClientConfig& options, WorkerStats& stats)
    : server_(server), host_(server.authority()), policy_(options), stats_(stats) {
    if (options.s3 && options.s3->credentials) signer_.emplace(*options.s3->credentials, &stats.signed_requests, &stats.signing_ns);
}

ApiClient::~ApiClient() {
    close();
}

void ApiClient::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool ApiClient::connect() {
    const auto& o = policy_.options();
    answer_.transport = T::connect;
    if (addresses_.empty()) {  // resolved once, at the first connection
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        const std::string port = std::to_string(server_.port);
        if (int rc = ::getaddrinfo(server_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
            answer_.detail = "cannot resolve " + server_.host + ": " + ::gai_strerror(rc);
            return false;
        }
        for (addrinfo* a = found; a; a = a->ai_next) {
            Address address{{}, a->ai_addrlen};
            std::memcpy(&address.storage, a->ai_addr, a->ai_addrlen);
            addresses_.push_back(address);
        }
        ::freeaddrinfo(found);
    }
    int err = EADDRNOTAVAIL;
    for (std::size_t i = 0; i < addresses_.size() && fd_ < 0; ++i) {
        const int fd = ::socket(addresses_[i].storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;  // no socket at all (EMFILE...): the same for every address
            break;
        }
        err = ::connect(fd, reinterpret_cast<const sockaddr*>(&addresses_[i].storage), addresses_[i].length) == 0
                  ? 0
                  : errno;
        if (err == EINPROGRESS) err = wait_connected(fd, o.connect_timeout);
        if (err == 0)
            fd_ = fd;
        else
            ::close(fd);
    }
    if (fd_ < 0) {
        answer_.detail =
            err == ETIMEDOUT ? "timed out after " + std::to_string(o.connect_timeout.count()) + " ms" : os_error(err);
        return false;
    }
    // Blocking from here, with the kernel's timeouts: a send or receive waits at most the
    // read timeout, and no poll is needed before each.
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    const timeval tv = to_timeval(o.read_timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++stats_.connections;
    answer_.transport = T::ok;
    return true;
}

void ApiClient::fail(Exchange::Transport t, int err) {
    answer_.transport = t;
    answer_.detail = t == T::timeout
                         ? "no answer within " + std::to_string(policy_.options().read_timeout.count()) + " ms"
                         : os_error(err);
    reader_.drop();
    close();
}

// A send or receive that failed: its timeout ran out (SO_SNDTIMEO, SO_RCVTIMEO), or the connection.
void ApiClient::fail_io(int err) {
    fail(err == EAGAIN || err == EWOULDBLOCK ? T::timeout : T::reset, err);
}

bool ApiClient::send_request() {
    for (std::size_t sent = 0; sent < request_.size();) {
        const ssize_t n = ::send(fd_, request_.data() + sent, request_.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fail_io(errno);
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

void ApiClient::read_answer(std::uint64_t limit) {
    // The parser refuses a Content-Length over the limit at the header.
    for (bool over = reader_.start(answer_, limit); !over;) {
        auto space = reader_.space();
        const ssize_t n = ::recv(fd_, space.data(), space.size(), 0);
        if (n < 0 && errno == EINTR) continue;  // a signal (Ctrl-C): the request in flight finishes
        if (n < 0) return fail_io(errno);
        over = reader_.arrived(static_cast<std::size_t>(n), n == 0);
    }
    if (!reader_.finish(answer_)) close();
}

void ApiClient::exchange(std::string_view prefix, std::string_view path, std::uint64_t limit) {
    answer_.clear();
    ++stats_.requests;
    const auto& o = policy_.options();
    std::optional<HookedWait> waiting(o.hook);  // the teaching model: a GIL let go while waiting
    if (stale(fd_, last_used_, o.idle_look)) close();        // closed by the server while idle: a new connection
    build_request(request_, host_, prefix, path, signer_ ? &*signer_ : nullptr);
    if ((fd_ >= 0 || connect()) && send_request()) read_answer(limit);
    last_used_ = clock::now();
    waiting.reset();
    if (o.hook) o.hook->answered();  // the teaching model: an interpreter's per-request work
}

std::optional<Page> ApiClient::list(const std::string& token) {
    if (!policy_.options().urls_file.empty()) return list_urls(policy_.options(), token, stats_);
    const std::string target = page_target(policy_.options(), token);
    for (Tries t(policy_, stats_, Stage::list); t.next();) {
        exchange("", target, kPageBytes);  // a page of names can be large
        std::optional<Page> page;
        const auto end = t.settle(judge_list_answer(policy_, answer_, t.attempt(), stats_, page),
                                  [&] { return "listing " + target; });
        if (end == Tries::End::ok) return page;
        if (end == Tries::End::failed) return std::nullopt;
        if (!wait_before_retry(policy_.options(), t.wait())) return std::nullopt;  // stopping: no new try
        t.waited();
    }
    return std::nullopt;
}

std::optional<Page> ApiClient::next_page(PageWalk& walk) {
    auto token = walk.pending();
    if (!token) {
        stats_.capped = stats_.capped || walk.capped();
        return std::nullopt;
    }
    auto page = list(*token);
    if (page)
        follow(walk, *page, stats_);
    else
        walk.stop();
    return page;
}

std::optional<std::string_view> ApiClient::get(std::string_view name) {
    // A contract name needs no encoding; a wider one (--names any) is percent-encoded.
    std::string encoded;
    if (policy_.options().names == NameRule::any) encoded = percent_encode(name);
    const std::string_view path = encoded.empty() ? name : encoded;
    const auto start = clock::now();
    for (Tries t(policy_, stats_, Stage::get); t.next();) {
        exchange(policy_.options().get_prefix, path, policy_.options().max_file_bytes);
        const auto end = t.settle(policy_.judge(answer_, t.attempt(), Stage::get), [&] { return escape(name); });
        if (end == Tries::End::ok) {
            stats_.latency.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count()));
            return std::string_view(answer_.body);
        }
        if (end == Tries::End::failed) return std::nullopt;
        if (!wait_before_retry(policy_.options(), t.wait())) return std::nullopt;  // stopping: no new try
        t.waited();
    }
    return std::nullopt;
}

}  // namespace billion::client
