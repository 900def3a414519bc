// A bounded queue for coroutines of one io_context (one thread, so no locks): producers wait
// while it is full, consumers while it is empty, and close() ends it once drained.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace billion::client {

template <class T>
class AsyncQueue {
public:
    AsyncQueue(boost::asio::any_io_executor ex, std::size_t capacity)
        : capacity_(capacity), not_empty_(ex), not_full_(ex) {
        not_empty_.expires_at(boost::asio::steady_timer::time_point::max());
        not_full_.expires_at(boost::asio::steady_timer::time_point::max());
    }

    // A closed queue takes nothing more: a producer woken by a stop drops its item.
    boost::asio::awaitable<void> push(T value) {
        while (items_.size() >= capacity_ && !closed_)
            co_await wait(not_full_);
        if (closed_) co_return;
        items_.push_back(std::move(value));
        not_empty_.cancel_one();
    }

    // The next item, or nothing once the queue is closed and empty.
    boost::asio::awaitable<std::optional<T>> pop() {
        while (items_.empty() && !closed_)
            co_await wait(not_empty_);
        if (items_.empty()) co_return std::nullopt;
        T v = std::move(items_.front());
        items_.pop_front();
        not_full_.cancel_one();
        co_return v;
    }

    // Up to max items into out (cleared first), waiting only for the first; false once the
    // queue is closed and empty. A pipelining downloader takes what is there.
    boost::asio::awaitable<bool> pop_some(std::vector<T>& out, std::size_t max) {
        out.clear();
        while (items_.empty() && !closed_)
            co_await wait(not_empty_);
        while (!items_.empty() && out.size() < max) {
            out.push_back(std::move(items_.front()));
            items_.pop_front();
            not_full_.cancel_one();
        }
        co_return !out.empty();
    }
    void close() {
        closed_ = true;
        not_empty_.cancel();
        not_full_.cancel();
    }
    // Drops what is queued (a stop request) and closes.
    void clear_and_close() {
        items_.clear();
        close();
    }
    std::size_t size() const { return items_.size(); }

private:
    // A timer that never expires is the wait list; cancel_one() wakes one waiter.
    static boost::asio::awaitable<void> wait(boost::asio::steady_timer& t) {
        boost::system::error_code ec;
        co_await t.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }

    std::size_t capacity_;
    bool closed_ = false;
    std::deque<T> items_;
    boost::asio::steady_timer not_empty_, not_full_;
};

}  // namespace billion::client
