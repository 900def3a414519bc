// The talk's model of a Python interpreter, as a request hook: CPU burnt for every answer
// (--client-cpu) and, under --gil, a global lock let go only while waiting.
#pragma once

#include <chrono>

#include "client/request_hook.hpp"
#include "client/teaching/gil.hpp"

namespace billion::client {

class Interpreter final : public RequestHook {
public:
    // cpu: per answer; gil: the lock the calling threads hold (null: none, as in one
    // interpreter per thread or process).
    Interpreter(std::chrono::microseconds cpu, Gil* gil) : cpu_(cpu), gil_(gil) {}
    void waiting() const override {
        if (gil_) gil_->release();
    }
    void waited() const override {
        if (gil_) gil_->acquire();
    }
    void answered() const override { interpreter_work(cpu_, gil_); }

private:
    std::chrono::microseconds cpu_;
    Gil* gil_;
};

}  // namespace billion::client
