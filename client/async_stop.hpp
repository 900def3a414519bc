// Ctrl-C inside an Asio loop (async, and each combo worker): a timer looks at the stop flag
// every kStopCheck and, once it is set, runs on_stop (drop what is queued: requests in flight
// finish, nothing new starts). It ends with the downloaders, so the loop's run() returns.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>

#include "client/client_config.hpp"

namespace billion::client {

class StopWatch {
public:
    StopWatch(boost::asio::any_io_executor ex, const ClientConfig& client, std::function<void()> on_stop);
    // Starts looking; call once the loop's work is spawned.
    void start();
    // The work it guards is over: it stops looking. A tick already due when this is called
    // must not re-arm the timer, or run() would never return.
    void finish();

private:
    void tick();
    boost::asio::steady_timer timer_;
    const ClientConfig& client_;
    std::function<void()> on_stop_;
    bool finished_ = false;
};

}  // namespace billion::client
