// What a request does besides HTTP, around its network waits. The HTTP clients call it and
// know nothing else of it: the talk's model of an interpreter (client/teaching/interpreter.hpp:
// a GIL let go while waiting, CPU burnt for every answer) plugs in here.
#pragma once

namespace billion::client {

class RequestHook {
public:
    virtual ~RequestHook() = default;
    virtual void waiting() const {}   // the calling thread is about to wait (the network, a backoff)
    virtual void waited() const {}    // the wait is over
    virtual void answered() const {}  // an answer came in: the per-request work on it
};

// A wait for a scope: waiting() now, waited() at its end (a null hook: nothing).
class HookedWait {
public:
    explicit HookedWait(const RequestHook* h) : h_(h) {
        if (h_) h_->waiting();
    }
    ~HookedWait() {
        if (h_) h_->waited();
    }
    HookedWait(const HookedWait&) = delete;
    HookedWait& operator=(const HookedWait&) = delete;

private:
    const RequestHook* h_;
};

}  // namespace billion::client
