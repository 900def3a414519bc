// The GIL model (see gil.hpp).
#include "client/teaching/gil.hpp"

#include "client/teaching/cpu_burn.hpp"

namespace billion::client {

void Gil::acquire() {
    std::unique_lock lock(m_);
    ++waiting_;
    free_.wait(lock, [&] { return !locked_; });
    --waiting_;
    locked_ = true;
    ++switches_;
    switched_.notify_all();
}

void Gil::release() {
    {
        std::lock_guard lock(m_);
        locked_ = false;
    }
    free_.notify_one();
}

void Gil::switch_if_waited() {
    {
        std::unique_lock lock(m_);
        if (waiting_ == 0) return;  // nobody waits: keep it, as CPython does
        const auto mine = switches_;
        locked_ = false;
        free_.notify_one();
        switched_.wait(lock, [&] { return switches_ != mine; });  // until another thread holds it
    }
    acquire();
}

std::uint64_t Gil::waiting() {
    std::lock_guard lock(m_);
    return waiting_;
}

void interpreter_work(std::chrono::nanoseconds cpu, Gil* gil) {
    if (!gil) return burn_cpu(cpu);
    for (int i = 0; i < Gil::kSwitchesPerRequest; ++i) {
        if (i) gil->switch_if_waited();
        burn_cpu(cpu / Gil::kSwitchesPerRequest);
    }
}

}  // namespace billion::client
