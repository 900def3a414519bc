// Idle cores kept awake for the length of a session: the PM QoS request latency benchmarks
// (and tuned's latency-performance profile) make, by holding /dev/cpu_dma_latency open with
// the value 0. On these VMs the cpuidle driver halts idle vCPUs, and waking one costs a
// request-reply loop more than the work (docs/decisions.md). Held, every strategy meets awake
// cores whatever else the machine is doing. Needs write access to the device (root).
#pragma once

#include <string>

namespace billion::harness {

class PmQos {
public:
    // asked: try to hold it (--pm-qos on); otherwise note that it was not asked for.
    explicit PmQos(bool asked);
    ~PmQos();
    PmQos(const PmQos&) = delete;
    PmQos& operator=(const PmQos&) = delete;

    bool asked() const { return asked_; }
    bool held() const { return fd_ >= 0; }
    // One line for the console: what was done and, when not held, why.
    std::string describe() const;

private:
    bool asked_;
    int fd_ = -1;
    std::string why_not_;
};

// The kernel's cpuidle driver ("haltpoll", "intel_idle", ...; "none" without one).
std::string cpuidle_driver();

}  // namespace billion::harness
