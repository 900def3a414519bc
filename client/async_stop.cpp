// The stop watcher of an Asio loop (see async_stop.hpp).
#include "client/async_stop.hpp"

#include <chrono>

namespace billion::client {

StopWatch::StopWatch(boost::asio::any_io_executor ex, const ClientConfig& client, std::function<void()> on_stop)
    : timer_(ex), client_(client), on_stop_(std::move(on_stop)) {}

void StopWatch::start() {
    tick();
}

void StopWatch::finish() {
    finished_ = true;
    timer_.cancel();
}

void StopWatch::tick() {
    if (finished_) return;
    if (client_.stopping()) {
        finished_ = true;
        on_stop_();
        return;
    }
    timer_.expires_after(kStopCheck);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) tick();
    });
}

}  // namespace billion::client
