// `billion sweep` (see sweep.hpp): latencies x values as cells of one session.
#include "harness/sweep.hpp"

#include <algorithm>
#include <iostream>

#include "harness/exit_codes.hpp"
#include "harness/units.hpp"

namespace billion::harness {

namespace {
unsigned* knob(strategies::Knobs& k, const std::string& param) {
    if (param == "workers") return &k.workers;
    if (param == "processes") return &k.processes;
    if (param == "concurrency") return &k.concurrency;
    if (param == "batch") return &k.batch;
    return nullptr;
}
}  // namespace

int run_sweep(const SweepSettings& s) {
    auto chosen = find_strategies({s.strategy});
    if (!chosen) {
        std::cerr << "billion: " << chosen.error() << "\n";
        return kExitUsage;
    }
    if (s.url && (s.latencies.size() > 1 || s.latencies.front().count() != 0)) {
        std::cerr << "billion: --latency needs the embedded server (no --url)\n";
        return kExitUsage;
    }

    Session session{.url = s.url, .client = s.client, .run = s.run};
    for (auto latency : s.latencies) {
        mock::ServerConfig server = s.server;
        server.latency = latency;
        std::string lat = latency.count() ? format_duration(static_cast<double>(latency.count()) / 1e6) : "0";
        lat.erase(std::remove(lat.begin(), lat.end(), ' '), lat.end());
        for (unsigned value : s.values) {
            Cell cell{.strategy = chosen.value().front(),
                      .knobs = s.knobs,
                      .server = server,
                      .label = s.param + "=" + std::to_string(value) + ",latency=" + lat,
                      .dir_name = s.strategy + "-" + s.param + std::to_string(value) + "-lat" + lat};
            *knob(cell.knobs, s.param) = value;
            session.cells.push_back(cell);
        }
    }
    nlohmann::json lats = nlohmann::json::array();
    for (auto l : s.latencies)
        lats.push_back(l.count());
    session.settings = {{"command", "sweep"},
                        {"strategies", {s.strategy}},
                        {"sizes", {s.url ? 0 : s.server.catalog.files}},
                        {"sweep", {{"param", s.param}, {"values", s.values}, {"latencies_us", lats}}}};
    return run_session(session);
}

}  // namespace billion::harness
