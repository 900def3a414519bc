// The mock file server: accept loop, one session per connection, routing, injected latency and faults.
#include "mock_server/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "mock_server/counters.hpp"
#include "mock_server/routes.hpp"

namespace billion::mock {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Status status_of(unsigned code) {
    switch (code) {
        case 200: return Status::s200;
        case 400: return Status::s400;
        case 404: return Status::s404;
        case 405: return Status::s405;
        case 429: return Status::s429;
        case 431: return Status::s431;
        case 500: return Status::s500;
        case 503: return Status::s503;
        default: return Status::other;
    }
}
const char* to_string(Route r) {
    static const char* n[] = {"list", "get", "stats", "other", "head"};
    return n[static_cast<int>(r)];
}
const char* to_string(Status s) {
    static const char* n[] = {"200", "400", "404", "405", "429", "431", "500", "503", "other"};
    return n[static_cast<int>(s)];
}
const char* to_string(Fault f) {
    static const char* n[] = {"error", "throttle", "reset", "truncate"};
    return n[static_cast<int>(f)];
}

namespace {

constexpr std::size_t kHeaderLimit = std::size_t{8} * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(60);

// What a request turned into: an answer, or a fault that replaces it.
struct Plan {
    unsigned status = 200;
    Route route = Route::other;
    bool reset = false;
    bool truncate = false;
    bool stall = false;
    bool overlong = false;
    const char* content_length = nullptr;
    bool s3 = false;  // an S3 answer: its own headers, so not the hand-written file head
};

struct Shared {
    ServerConfig options;
    std::vector<std::unique_ptr<ThreadStats>> stats;
    std::string stats_json() const;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const Shared& shared, ThreadStats& stats, std::mt19937_64& rng)
        : socket_(std::move(socket)),
          timer_(socket_.get_executor()),
          idle_(socket_.get_executor()),
          shared_(shared),
          stats_(stats),
          rng_(rng) {}

    void start() {
        watch_idle(kIdleTimeout);
        read();
    }

private:
    void read() { read_rest(new_parser()); }

    http::request_parser<http::empty_body>& new_parser() {
        auto& parser = parser_.emplace();
        parser.header_limit(kHeaderLimit);
        parser.body_limit(0);
        return parser;
    }

    // Reads into the parser as it stands: a request whose first bytes it has taken already.
    void read_rest(http::request_parser<http::empty_body>& parser) {
        http::async_read(socket_, buffer_, parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    // An idle connection is closed after kIdleTimeout. One timer per connection, moved on only
    // when it fires (a request just stamps the time). Beast's tcp_stream re-arms a timer for
    // every read and write, which measurably slowed the server against a tuned nginx
    // (scripts/bench-server; the figures are in docs/guide.md, "Benchmarks of the suite itself").
    void watch_idle(std::chrono::steady_clock::duration after) {
        idle_.expires_after(after);
        idle_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;  // closed: the timer was cancelled
            const auto quiet = std::chrono::steady_clock::now() - self->last_active_;
            if (quiet >= kIdleTimeout && !self->stalled_) return self->close();
            if (self->stalled_) return self->watch_idle(kIdleTimeout);
            self->watch_idle(kIdleTimeout - quiet);
        });
    }

    void on_read(beast::error_code ec) {
        last_active_ = std::chrono::steady_clock::now();
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
            ec == asio::error::operation_aborted) {
            return close();
        }
        if (ec) {
            // Malformed request line or headers: answer 4xx and close, the stream is out of sync.
            unsigned code = ec == http::error::header_limit ? 431 : 400;
            res_ = {};
            res_.version(11);
            res_.result(code);
            res_.set(http::field::content_type, "text/plain");
            res_.body() = "bad request\n";
            res_.keep_alive(false);
            res_.prepare_payload();
            bump(stats_.routes[static_cast<int>(Route::other)]);
            return send(Plan{code, Route::other});
        }
        if (!parser_) return close();  // cannot happen: read() made it
        serve();
    }

    // Answers the request just parsed and every complete request already read after it
    // (pipelined): plain answers go in order into one reused buffer, sent in one write once
    // no whole request is left (as the fastest pipelined servers do: one send a wake-up, not
    // one an answer). A delayed or hostile answer first sends what is batched, in order, then
    // goes its own way, as it would alone.
    void serve() {
        for (;;) {
            if (!parser_) return close();  // cannot happen: on_read and parse_buffered made it
            const Plan plan = route(parser_->get());
            const auto delay = delay_of(plan);
            if (delay.count() > 0) bump(stats_.delayed_us, static_cast<std::uint64_t>(delay.count()));
            if (delay.count() > 0 || !batchable(plan))
                return flush([self = shared_from_this(), plan, delay] { self->answer_alone(plan, delay); });
            append(plan);
            if (!res_.keep_alive()) return flush([self = shared_from_this()] { self->close(); });
            if (buffer_.size() == 0) return flush([self = shared_from_this()] { self->read(); });
            // The parser takes a request line before the rest of its head has come: what it
            // took stays in it, and the next read goes on into the same parser.
            const beast::error_code ec = parse_buffered();
            if (ec == http::error::need_more)
                return flush([self = shared_from_this()] {
                    if (self->parser_) self->read_rest(*self->parser_);
                });
            if (ec) return flush([self = shared_from_this(), ec] { self->on_read(ec); });
        }
    }

    std::chrono::microseconds delay_of(const Plan& plan) {
        if (plan.route != Route::list && plan.route != Route::get && plan.route != Route::head) return {};
        auto delay = shared_.options.latency;
        if (shared_.options.jitter.count() > 0)
            delay += std::chrono::microseconds(
                std::uniform_int_distribution<long long>(0, shared_.options.jitter.count())(rng_));
        return delay;
    }

    // An answer a batch can hold: HTTP/1.1, whole, on time, the connection kept or closed after it.
    bool batchable(const Plan& plan) const {
        return plain_ && !plan.stall && !plan.reset && !plan.truncate && !plan.content_length && !plan.overlong;
    }

    void answer_alone(const Plan& plan, std::chrono::microseconds delay) {
        if (delay.count() == 0) return send(plan);
        timer_.expires_after(delay);
        timer_.async_wait([self = shared_from_this(), plan](beast::error_code tec) {
            if (tec) return self->close();
            self->send(plan);
        });
    }

    // Parses the next request from what buffer_ holds: no error when it is whole, need_more
    // when only a part of it has come, or why it is malformed.
    beast::error_code parse_buffered() {
        auto& parser = new_parser();
        beast::error_code ec;
        while (!ec && !parser.is_done() && buffer_.size() > 0)
            buffer_.consume(parser.put(buffer_.data(), ec));
        if (!ec && !parser.is_done()) ec = http::error::need_more;
        return ec;
    }

    // The answer res_ holds, appended to the batch, counted as send() counts it.
    void append(const Plan& plan) {
        bump(stats_.statuses[static_cast<int>(status_of(plan.status))]);
        const std::string_view body = res_.body();
        if (plan.route == Route::get && plan.status == 200) bump(stats_.get_ok);
        if (plan.route == Route::get && plan.status == 200 && !plan.s3) {
            append_file_head(out_, res_.keep_alive(), body.size());
        } else {
            out_ += "HTTP/1.1 ";
            out_ += std::to_string(plan.status);
            out_ += ' ';
            const auto reason = http::obsolete_reason(res_.result());
            out_.append(reason.data(), reason.size());
            out_ += "\r\n";
            for (const auto& field : res_.base()) {
                out_.append(field.name_string().data(), field.name_string().size());
                out_ += ": ";
                out_.append(field.value().data(), field.value().size());
                out_ += "\r\n";
            }
            out_ += "\r\n";
        }
        out_ += body;
    }

    // Sends the batch (if any), then calls then.
    template <class Then>
    void flush(Then then) {
        if (out_.empty()) return then();
        asio::async_write(socket_, asio::buffer(out_),
                          [self = shared_from_this(), then = std::move(then)](beast::error_code ec, std::size_t) {
                              self->out_.clear();
                              if (ec) return self->close();
                              then();
                          });
    }

    bool draw(double rate) { return rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < rate; }

    Plan route(const http::request<http::empty_body>& req) {
        res_ = {};
        res_.version(req.version());
        res_.keep_alive(req.keep_alive());
        plain_ = req.version() == 11;
        std::string_view target(req.target().data(), req.target().size());
        std::string_view method(req.method_string().data(), req.method_string().size());
        // Only a request with an Authorization header is looked up further (a signed S3 request).
        client::s3::HeaderOf header;
        if (req.find(http::field::authorization) != req.end())
            header = [&req](std::string_view name) -> std::optional<std::string_view> {
                const auto it = req.find(beast::string_view(name.data(), name.size()));
                if (it == req.end()) return std::nullopt;
                return std::string_view(it->value().data(), it->value().size());
            };
        Answer a = mock::answer(shared_.options, method, target, header);
        Plan plan;
        plan.route = a.route;
        bump(stats_.routes[static_cast<int>(plan.route)]);
        if (a.route == Route::stats && a.status == 200)
            return answer(plan, 200, shared_.stats_json(), "application/json");

        if (a.status == 200) {
            // Injected faults, drawn in a fixed order so a seed repeats a run.
            const Faults& f = shared_.options.faults;
            if (draw(f.reset_rate)) {
                bump(stats_.faults[static_cast<int>(Fault::reset)]);
                plan.reset = true;
                return plan;
            }
            if (draw(f.throttle_rate)) {
                bump(stats_.faults[static_cast<int>(Fault::throttle)]);
                res_.set(http::field::retry_after, std::to_string(f.retry_after_s));
                return answer(plan, 429, "slow down\n", "text/plain");
            }
            if (draw(f.error_rate)) {
                bump(stats_.faults[static_cast<int>(Fault::error)]);
                return answer(plan, (rng_() & 1) ? 500 : 503, "transient fault\n", "text/plain");
            }
            if (a.route == Route::get && draw(f.truncate_rate)) {
                bump(stats_.faults[static_cast<int>(Fault::truncate)]);
                plan.truncate = true;
            }
        }
        plan.stall = a.stall;
        plan.overlong = a.overlong;
        plan.content_length = a.content_length;
        plan.s3 = !a.headers.empty() || a.content_type == std::string_view("application/xml");
        for (auto& [name, value] : a.headers)
            res_.set(name, value);
        if (a.head) {
            // HEAD: the object's length announced, nothing sent after the head.
            plan = answer(plan, a.status, "", a.content_type);
            res_.content_length(a.body.size());
            return plan;
        }
        return answer(plan, a.status, std::move(a.body), a.content_type);
    }

    Plan answer(Plan plan, unsigned code, std::string body, const char* type) {
        plan.status = code;
        res_.result(code);
        res_.set(http::field::content_type, type);
        res_.body() = std::move(body);
        res_.prepare_payload();
        return plan;
    }

    void send(Plan plan) {
        if (plan.stall) {
            // Hostile: keep the connection open and never answer (until the server stops).
            stalled_ = true;
            timer_.expires_after(std::chrono::hours(1));
            timer_.async_wait([self = shared_from_this()](beast::error_code) { self->close(); });
            return;
        }
        if (plan.reset) {
            // An abortive close: the client sees a connection reset, not an answer.
            beast::error_code ec;
            socket_.set_option(asio::socket_base::linger(true, 0), ec);
            idle_.cancel();
            socket_.close(ec);
            return;
        }
        bump(stats_.statuses[static_cast<int>(status_of(plan.status))]);
        if (plan.truncate) {
            // Headers announce the whole file; half the body follows, then the connection closes.
            const std::string_view body = res_.body();
            return send_and_close(std::to_string(body.size()), body.substr(0, body.size() / 2));
        }
        if (plan.content_length) {
            // Hostile: a Content-Length that is not a count; the body follows, then the close
            // (the only framing left); not counted as a whole file.
            return send_and_close(plan.content_length, res_.body());
        }
        if (plan.route == Route::get && plan.status == 200) bump(stats_.get_ok);
        if (plan.overlong) {
            // Hostile: the announced body, then bytes nobody asked for; the connection stays open.
            raw_ = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                   std::to_string(res_.body().size()) + "\r\n\r\n" + res_.body() + std::string(50, 'X');
            asio::async_write(socket_, asio::buffer(raw_),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec) return self->close();
                                  self->read();
                              });
            return;
        }
        bool keep = res_.keep_alive();
        if (plan.route == Route::get && plan.status == 200 && plain_ && !plan.s3) return send_file(keep);
        http::async_write(socket_, res_, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
            if (ec || !keep) return self->close();
            self->read();
        });
    }

    // A file's answer with the Content-Length given and the body given, then the close: the
    // truncated and hostile answers.
    void send_and_close(std::string_view content_length, std::string_view body) {
        raw_ = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ";
        raw_.append(content_length).append("\r\n\r\n").append(body);
        asio::async_write(socket_, asio::buffer(raw_),
                          [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
    }

    // The hot path's head, a whole file to an HTTP/1.1 client: the same bytes Beast's
    // serializer writes for this response (status line, Content-Type, Content-Length,
    // Connection: close when closing), formatted into a reused buffer. Hand-written because
    // Beast's generic serializer is measurably slower here (scripts/bench-server; the figures
    // are in docs/guide.md, "Benchmarks of the suite itself").
    static void append_file_head(std::string& out, bool keep, std::size_t size) {
        static constexpr std::string_view kHead = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
        out += kHead;
        if (!keep) out += "Connection: close\r\n";
        out += "Content-Length: ";
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, size).ptr;
        out.append(digits, end);
        out += "\r\n\r\n";
    }

    // A delayed file, alone: its head and body in one gather write.
    void send_file(bool keep) {
        head_.clear();
        append_file_head(head_, keep, res_.body().size());
        const std::array<asio::const_buffer, 2> parts = {asio::buffer(head_), asio::buffer(res_.body())};
        asio::async_write(socket_, parts, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
            if (ec || !keep) return self->close();
            self->read();
        });
    }

    void close() {
        beast::error_code ec;
        idle_.cancel();
        timer_.cancel();
        socket_.shutdown(tcp::socket::shutdown_send, ec);
        socket_.close(ec);
    }

    tcp::socket socket_;
    asio::steady_timer timer_;
    asio::steady_timer idle_;
    std::chrono::steady_clock::time_point last_active_ = std::chrono::steady_clock::now();
    std::string head_;
    std::string out_;       // the batch: answers to pipelined requests, sent in one write
    bool plain_ = false;    // an HTTP/1.1 request: the hot path may answer it
    bool stalled_ = false;  // hostile stall: open on purpose, never idle-closed
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> parser_;
    http::response<http::string_body> res_;
    std::string raw_;
    const Shared& shared_;
    ThreadStats& stats_;
    std::mt19937_64& rng_;
};

using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// One thread's loop: its own io_context, its own acceptor on the shared port (SO_REUSEPORT).
struct Worker {
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    std::mt19937_64 rng;
    ThreadStats* stats = nullptr;
    const Shared* shared = nullptr;

    void accept() {
        acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) {
                bump(stats->connections);
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<Session>(std::move(socket), *shared, *stats, rng)->start();
            }
            // EMFILE and friends: keep accepting; the other connections go on being served.
            accept();
        });
    }
};

std::string Shared::stats_json() const {
    nlohmann::json j;
    std::uint64_t conns = 0, get_ok = 0, delayed_us = 0;
    std::array<std::uint64_t, static_cast<int>(Route::count_)> routes{};
    std::array<std::uint64_t, static_cast<int>(Status::count_)> statuses{};
    std::array<std::uint64_t, static_cast<int>(Fault::count_)> faults{};
    for (const auto& s : stats) {
        conns += s->connections.load(std::memory_order_relaxed);
        get_ok += s->get_ok.load(std::memory_order_relaxed);
        delayed_us += s->delayed_us.load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < routes.size(); ++i)
            routes[i] += s->routes[i].load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < statuses.size(); ++i)
            statuses[i] += s->statuses[i].load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < faults.size(); ++i)
            faults[i] += s->faults[i].load(std::memory_order_relaxed);
    }
    j["connections_accepted"] = conns;
    j["get_ok"] = get_ok;
    j["delayed_us"] = delayed_us;
    for (std::size_t i = 0; i < routes.size(); ++i)
        j["requests"][to_string(static_cast<Route>(i))] = routes[i];
    for (std::size_t i = 0; i < statuses.size(); ++i)
        j["status"][to_string(static_cast<Status>(i))] = statuses[i];
    for (std::size_t i = 0; i < faults.size(); ++i)
        j["faults"][to_string(static_cast<Fault>(i))] = faults[i];
    return j.dump();
}

}  // namespace

struct Server::Impl {
    Shared shared;
    std::deque<Worker> workers;
    std::uint16_t port = 0;
};

Server::Server(const ServerConfig& options) : impl_(std::make_unique<Impl>()) {
    impl_->shared.options = options;
    unsigned threads = std::max(1u, options.threads);
    tcp::endpoint ep(asio::ip::make_address(options.host), options.port);
    if (options.port != 0) {
        // SO_REUSEPORT lets this server's threads share one port, but it would also let a second
        // server join a port another one listens on, each then getting half the connections.
        // A socket bound without it first finds a port in use (and throws, as bind does).
        asio::io_context probe_io;
        tcp::acceptor probe(probe_io, ep.protocol());
        probe.set_option(tcp::acceptor::reuse_address(true));  // TIME_WAIT is no obstacle; a listener is
        probe.bind(ep);
    }
    for (unsigned t = 0; t < threads; ++t) {
        impl_->shared.stats.push_back(std::make_unique<ThreadStats>());
        Worker& w = impl_->workers.emplace_back();
        w.rng.seed(options.fault_seed * 1000003 + t);
        w.stats = impl_->shared.stats.back().get();
        w.shared = &impl_->shared;
        w.acceptor.open(ep.protocol());
        w.acceptor.set_option(tcp::acceptor::reuse_address(true));
        w.acceptor.set_option(reuse_port(true));
        w.acceptor.bind(ep);
        w.acceptor.listen(asio::socket_base::max_listen_connections);
        if (t == 0) {
            impl_->port = w.acceptor.local_endpoint().port();
            ep.port(impl_->port);  // the other threads join the port the first one got
        }
        w.accept();
    }
}

Server::~Server() = default;

std::uint16_t Server::port() const {
    return impl_->port;
}

void Server::run() {
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < impl_->workers.size(); ++t)
        threads.emplace_back([this, t] { impl_->workers[t].io.run(); });
    impl_->workers[0].io.run();
    for (auto& t : threads)
        t.join();
}

void Server::stop() {
    for (auto& w : impl_->workers) {
        asio::post(w.io, [&w] {
            beast::error_code ec;
            w.acceptor.close(ec);
            w.io.stop();
        });
    }
}

std::string Server::stats_json() const {
    return impl_->shared.stats_json();
}

}  // namespace billion::mock
