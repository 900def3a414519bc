// Durations and counts for people to read (see format.hpp).
#include "harness/common/format.hpp"

#include <cstdio>

namespace billion::harness {

std::string format_duration(double s) {
    if (s < 0) return format_duration(-s).insert(0, 1, '-');  // a fitted fixed cost can come out negative
    char buf[64];
    if (s < 1e-3)
        std::snprintf(buf, sizeof buf, "%.1f us", s * 1e6);
    else if (s < 1)
        std::snprintf(buf, sizeof buf, "%.3f ms", s * 1e3);
    else if (s < 120)
        std::snprintf(buf, sizeof buf, "%.2f s", s);
    else if (s < 2 * 3600)
        std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
    else if (s < 2 * 86400)
        std::snprintf(buf, sizeof buf, "%.1f hours", s / 3600);
    else
        std::snprintf(buf, sizeof buf, "%.1f days", s / 86400);
    return buf;
}

std::string compact_duration(std::int64_t us) {
    if (us == 0) return "0";
    auto shown = [](double v, const char* unit) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g%s", v, unit);
        return std::string(buf);
    };
    if (us >= 1000000) return shown(static_cast<double>(us) / 1e6, "s");
    if (us >= 1000) return shown(static_cast<double>(us) / 1e3, "ms");
    return shown(static_cast<double>(us), "us");
}

std::string grouped(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

}  // namespace billion::harness
