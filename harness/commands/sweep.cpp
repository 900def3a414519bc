// `billion sweep` (see sweep.hpp): latencies x values as cells of one session.
#include "harness/commands/sweep.hpp"

#include <algorithm>
#include <iostream>

#include "harness/common/exit_codes.hpp"
#include "harness/common/format.hpp"

namespace billion::harness {

using strategies::knob;

int run_sweep(const SweepSettings& s) {
    auto chosen = find_strategies(s.strategies);
    if (!chosen) return usage(chosen.error());
    const std::vector<std::string> names = names_of(chosen.value());
    if (s.param.empty() != s.values.empty()) {
        return usage("--param and --values go together");
    }
    // A knob a strategy does not have would be swept without effect: refused, not ignored.
    for (const auto* st : chosen.value()) {
        if (s.param.empty() || strategies::has_knob(*st, s.param)) continue;
        return usage(st->name + " has no knob '" + s.param + "' (" + s.param + " is a knob of " +
                     strategies::knob_owners(s.param) + ")");
    }
    if (s.url && (s.latencies.size() > 1 || s.latencies.front().count() != 0)) {
        return usage("--latency needs the embedded server (no --url)");
    }

    // latency x strategy x value: one embedded server per latency.
    Session session{.url = s.url, .client = s.client, .run = s.run};
    const std::vector<unsigned> values = s.param.empty() ? std::vector<unsigned>{0} : s.values;
    for (auto latency : s.latencies) {
        mock::ServerConfig server = s.server;
        server.latency = latency;
        const std::string lat = compact_duration(latency.count());
        for (const auto* st : chosen.value())
            for (unsigned value : values) {
                const std::string setting = s.param.empty() ? "" : s.param + "=" + std::to_string(value) + ",";
                Cell cell{.strategy = st,
                          .knobs = s.knobs,
                          .server = server,
                          .label = setting + "latency=" + lat,
                          .dir_name = st->name + "-" + (s.param.empty() ? "" : s.param + std::to_string(value) + "-") +
                                      "lat" + lat};
                if (!s.param.empty()) *knob(cell.knobs, s.param) = value;
                session.cells.push_back(cell);
            }
    }
    nlohmann::json lats = nlohmann::json::array();
    for (auto l : s.latencies)
        lats.push_back(l.count());
    session.settings = {{"command", "sweep"},
                        {"strategies", names},
                        {"sizes", {s.url ? 0 : s.server.catalog.files}},
                        {"sweep", {{"param", s.param}, {"values", s.values}, {"latencies_us", lats}}}};
    return run_session(session);
}

}  // namespace billion::harness
