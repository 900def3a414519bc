// Waiting on a condition, the one way tests wait: ready() is looked at every millisecond
// until it holds or timeout passes (then the test fails on what it asserts next). No test
// sleeps for a duration of its own.
#pragma once

#include <chrono>
#include <thread>

namespace billion::testkit {

template <class Ready>
bool eventually(Ready ready, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        if (std::chrono::steady_clock::now() > until) return ready();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace billion::testkit
