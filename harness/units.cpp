// Suffix parsing through CLI11's AsNumberWithUnit, and human-readable durations.
#include "units.hpp"

#include <cstdio>

namespace billion::harness {

CLI::Validator count_units() {
    static const std::map<std::string, std::uint64_t> units = {{"k", 1000}, {"M", 1000000}, {"G", 1000000000}};
    return CLI::AsNumberWithUnit(units, CLI::AsNumberWithUnit::UNIT_OPTIONAL,
                                 "COUNT");
}

CLI::Validator duration_units() {
    static const std::map<std::string, std::uint64_t> units = {{"us", 1}, {"ms", 1000}, {"s", 1000000}, {"m", 60000000}};
    return CLI::AsNumberWithUnit(units, CLI::AsNumberWithUnit::UNIT_REQUIRED,
                                 "DURATION");
}

CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& help) {
    return app
        .add_option_function<std::int64_t>(
            name, [&target](std::int64_t us) { target = std::chrono::microseconds(us); }, help)
        ->transform(duration_units())
        ->default_str(std::to_string(target.count()) + "us");
}

std::string format_duration(double s) {
    if (s < 0) return "-" + format_duration(-s);  // a fitted fixed cost can come out negative
    char buf[64];
    if (s < 1e-3) std::snprintf(buf, sizeof buf, "%.1f us", s * 1e6);
    else if (s < 1) std::snprintf(buf, sizeof buf, "%.3f ms", s * 1e3);
    else if (s < 120) std::snprintf(buf, sizeof buf, "%.2f s", s);
    else if (s < 2 * 3600) std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
    else if (s < 2 * 86400) std::snprintf(buf, sizeof buf, "%.1f hours", s / 3600);
    else std::snprintf(buf, sizeof buf, "%.1f days", s / 86400);
    return buf;
}

}  // namespace billion::harness
