// Machine and build description (cores, CPU model, kernel, compiler, build type).
#include "harness/report/machine.hpp"

#include "harness/host/pm_qos.hpp"

#include <sys/utsname.h>

#include <boost/version.hpp>
#include <fstream>
#include <string>
#include <thread>

#ifndef BILLION_BUILD_TYPE
#define BILLION_BUILD_TYPE "unknown"
#endif

namespace billion::harness {

nlohmann::json machine_info() {
    nlohmann::json m;
    m["cores"] = std::thread::hardware_concurrency();
    std::string model = "unknown";
    std::ifstream cpu("/proc/cpuinfo");
    for (std::string line; std::getline(cpu, line);) {
        if (line.starts_with("model name")) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    }
    m["cpu_model"] = model;
    utsname u{};
    ::uname(&u);
    m["kernel"] = std::string(u.sysname) + " " + u.release;
    m["arch"] = u.machine;
    std::ifstream mem("/proc/meminfo");
    std::string key;
    unsigned long long kb = 0;
    if (mem >> key >> kb) m["memory_gib"] = static_cast<double>(kb) / (1024.0 * 1024.0);
#if defined(__clang__)
    m["compiler"] = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
    m["compiler"] = std::string("gcc ") + __VERSION__;
#endif
    m["build_type"] = BILLION_BUILD_TYPE;
    m["cpuidle_driver"] = cpuidle_driver();
    m["boost"] = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000);
    return m;
}

}  // namespace billion::harness
