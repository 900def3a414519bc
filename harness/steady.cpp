// The steady-state fit (see steady.hpp).
#include "harness/steady.hpp"

namespace billion::harness {

std::optional<Steady> fit_steady(const std::vector<Sample>& samples, std::uint64_t files, double wall_s,
                                 std::string* why_not) {
    auto refuse = [&](const std::string& why) {
        if (why_not) *why_not = why;
        return std::nullopt;
    };
    if (samples.empty()) return refuse("no /stats to sample");
    // The middle: from the first sample past 10 % of the files to the last one under 90 %.
    const double lo = 0.1 * static_cast<double>(files), hi = 0.9 * static_cast<double>(files);
    double n = 0, mx = 0, my = 0;
    for (const auto& s : samples)
        if (static_cast<double>(s.files) >= lo && static_cast<double>(s.files) <= hi) {
            n += 1;
            mx += static_cast<double>(s.files);
            my += s.t_s;
        }
    if (n < kMinSteadySamples)
        return refuse("too short to sample (" + std::to_string(static_cast<int>(n)) + " samples in its middle)");
    mx /= n;
    my /= n;
    double sxx = 0, sxy = 0;
    for (const auto& s : samples)
        if (static_cast<double>(s.files) >= lo && static_cast<double>(s.files) <= hi) {
            const double dx = static_cast<double>(s.files) - mx;
            sxx += dx * dx;
            sxy += dx * (s.t_s - my);
        }
    if (sxx <= 0 || sxy <= 0) return refuse("no progress in its middle");
    Steady st;
    st.per_file_s = sxy / sxx;
    st.startup_s = wall_s - static_cast<double>(files) * st.per_file_s;
    st.samples = static_cast<std::size_t>(n);
    return st;
}

}  // namespace billion::harness
