// The lock of the --gil teaching knob: a model of CPython's global interpreter lock, so C++
// threads can show what Python threads pay. Hand-written: its hand-over rule is the lesson.
//
// As in CPython (Python/ceval_gil.c, since 3.2): one thread holds it at a time; a thread lets
// go around blocking calls (here: every network exchange, every backoff); and a holder asked
// to switch hands the lock to a waiting thread and waits its turn behind it (FORCE_SWITCHING),
// instead of taking it straight back. The interpreter's per-request work (--client-cpu) runs
// under it and lets another thread in at each of the socket calls a blocking HTTP client makes
// (kSwitchesPerRequest), so the threads take turns as CPython's do: one runs, the others wait,
// and every turn is an OS hand-over between threads. As in CPython, a released lock goes to
// whichever waiter the OS wakes first: no queue, no fairness.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace billion::client {

class Gil {
public:
    // Points where a request's interpreter work lets another thread in: a keep-alive request
    // through a blocking client (e.g. Python's requests) sends, waits, reads the status line,
    // the headers and the body, each a call that drops the GIL.
    static constexpr int kSwitchesPerRequest = 5;

    void acquire();  // waits until it is free (whichever waiter the OS wakes takes it)
    void release();  // wakes one waiter
    // Held: when a thread waits, lets go, waits until another thread has taken the lock
    // (CPython's FORCE_SWITCHING), then waits for it again. Nobody waiting: keeps it.
    void switch_if_waited();
    // Threads waiting for their turn now.
    std::uint64_t waiting();

    // Holds the lock for a scope (a null Gil: no lock).
    class Held {
    public:
        explicit Held(Gil* g) : g_(g) {
            if (g_) g_->acquire();
        }
        ~Held() {
            if (g_) g_->release();
        }
        Held(const Held&) = delete;
        Held& operator=(const Held&) = delete;

    private:
        Gil* g_;
    };

private:
    std::mutex m_;
    std::condition_variable free_;      // signalled when the lock is let go (one waiter woken)
    std::condition_variable switched_;  // signalled when a thread takes it
    bool locked_ = false;
    std::uint64_t switches_ = 0;  // times the lock was taken
    std::uint64_t waiting_ = 0;
};

// --client-cpu under a GIL: the work in kSwitchesPerRequest slices, offering a switch between
// them; without one (gil null), the same CPU in one go.
void interpreter_work(std::chrono::nanoseconds cpu, Gil* gil);

}  // namespace billion::client
