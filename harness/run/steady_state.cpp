// The steady-state fit (see steady_state.hpp).
#include "harness/run/steady_state.hpp"

#include "harness/report/line_fit.hpp"

namespace billion::harness {

Expected<Steady> fit_steady(const std::vector<Sample>& samples, std::uint64_t files, double wall_s) {
    if (samples.empty()) return std::string(kNoStatsToSample);
    // The middle: the samples between 10 % and 90 % of the files, as (files, seconds).
    const double lo = 0.1 * static_cast<double>(files), hi = 0.9 * static_cast<double>(files);
    std::vector<std::pair<double, double>> middle;
    for (const auto& s : samples)
        if (static_cast<double>(s.files) >= lo && static_cast<double>(s.files) <= hi)
            middle.emplace_back(static_cast<double>(s.files), s.t_s);
    if (middle.size() < kMinSteadySamples)
        return "too short to sample (" + std::to_string(middle.size()) + " samples in its middle)";
    const Line line = fit_line(middle);
    if (line.sxx <= 0 || line.slope <= 0) return std::string("no progress in its middle");
    Steady st;
    st.per_file_s = line.slope;
    st.startup_s = wall_s - static_cast<double>(files) * st.per_file_s;
    st.samples = middle.size();
    return st;
}

}  // namespace billion::harness
