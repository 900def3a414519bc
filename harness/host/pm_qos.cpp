// Holding the PM QoS CPU latency request (see pm_qos.hpp).
#include "harness/host/pm_qos.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace billion::harness {

namespace {
constexpr const char* kDevice = "/dev/cpu_dma_latency";
}  // namespace

PmQos::PmQos(bool asked) : asked_(asked) {
    if (!asked) return;
    fd_ = ::open(kDevice, O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) {
        why_not_ = std::string(kDevice) + ": " + std::strerror(errno);
        return;
    }
    // The request is the value written, held while the file stays open (the kernel's
    // Documentation/power/pm_qos_interface.rst): 0 microseconds of wake-up latency allowed.
    const std::int32_t zero = 0;
    if (::write(fd_, &zero, sizeof zero) != sizeof zero) {
        why_not_ = std::string(kDevice) + ": " + std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
    }
}

PmQos::~PmQos() {
    if (fd_ >= 0) ::close(fd_);
}

std::string PmQos::describe() const {
    const std::string driver = "cpuidle driver " + cpuidle_driver();
    if (held()) return driver + "; idle cores kept awake during the runs (PM QoS: " + kDevice + " held at 0)";
    if (!asked_) return driver + "; idle cores may sleep (--pm-qos off): round trips can wait for a core to wake";
    return driver + "; idle cores may sleep: cannot hold the PM QoS request (" + why_not_ +
           "), so round trips can wait for a core to wake";
}

std::string cpuidle_driver() {
    std::ifstream f("/sys/devices/system/cpu/cpuidle/current_driver");
    std::string d;
    return std::getline(f, d) && !d.empty() ? d : "none";
}

}  // namespace billion::harness
