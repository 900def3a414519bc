// `billion sweep` (see sweep.hpp).
#include "harness/sweep.hpp"

#include <algorithm>
#include <iostream>

#include "harness/compare.hpp"
#include "harness/limits.hpp"
#include "harness/report.hpp"
#include "harness/runner.hpp"
#include "harness/signals.hpp"
#include "harness/units.hpp"

namespace billion::harness {

namespace {
unsigned* knob(strategies::Options& o, const std::string& param) {
    if (param == "workers") return &o.workers;
    if (param == "processes") return &o.processes;
    if (param == "concurrency") return &o.concurrency;
    if (param == "batch") return &o.batch;
    return nullptr;
}
}  // namespace

int run_sweep(const SweepSettings& s) {
    std::string error;
    auto chosen = find_strategies({s.strategy}, error);
    if (chosen.empty()) {
        std::cerr << "billion: " << error << "\n";
        return kExitUsage;
    }
    if (s.url && (s.latencies.size() > 1 || s.latencies.front().count() != 0)) {
        std::cerr << "billion: --latency needs the embedded server (no --url)\n";
        return kExitUsage;
    }
    std::vector<strategies::Options> cells;
    for (unsigned value : s.values) {
        cells.push_back(s.knobs);
        *knob(cells.back(), s.param) = value;
    }
    if (auto limit = ensure_open_files(chosen, cells); !limit.empty()) {
        std::cerr << "billion: " << limit << "\n";
        return kExitUsage;
    }
    std::optional<client::Endpoint> remote;
    std::unique_ptr<Output> out;
    if (!prepare(s.url, s.run.sink, s.run.out, s.run.keep, remote, out)) return kExitUsage;

    std::vector<RunRecord> runs;
    const bool repeated = s.run.repeat > 1;
    const std::size_t planned =
        s.latencies.size() * s.values.size() * static_cast<std::size_t>(s.run.repeat + (repeated && s.run.warmup));
    for (auto latency : s.latencies) {
        if (stop_requested()) break;
        mock::Options o = s.server;
        o.latency = latency;
        auto target = open_target(remote, o);
        if (!target) return kExitUnverified;
        std::string lat = latency.count() ? format_duration(static_cast<double>(latency.count()) / 1e6) : "0";
        lat.erase(std::remove(lat.begin(), lat.end(), ' '), lat.end());
        for (unsigned value : s.values) {
            strategies::Options knobs = s.knobs;
            *knob(knobs, s.param) = value;
            std::string label = s.param + "=" + std::to_string(value) + ",latency=" + lat;
            int first = repeated && s.run.warmup ? -1 : 0;
            for (int k = first; k < s.run.repeat && !stop_requested(); ++k) {
                RunSpec spec{chosen.front(), knobs, label, k < 0, std::max(k, 0), "", false};
                spec.dir_name = chosen.front()->name + "-" + s.param + std::to_string(value) + "-lat" + lat +
                                (k < 0 ? "-warmup" : "-r" + std::to_string(k));
                try {
                    runs.push_back(run_once(spec, *target, *out));
                } catch (const std::exception& e) {
                    std::cerr << "billion: " << e.what() << "\n";
                    return kExitUsage;
                }
            }
        }
    }

    std::cout << "\n";
    auto rows = summarize(runs);
    print_table(std::cout, rows, s.run.markdown);
    print_resources(std::cout, rows, s.run.markdown);
    if (!s.run.json_path.empty()) {
        auto settings = common_settings(s.url, s.server, s.knobs, s.run.sink, out->describe());
        settings["command"] = "sweep";
        settings["strategies"] = {s.strategy};
        settings["sizes"] = {s.url ? 0 : s.server.catalog.files};
        settings["repeat"] = s.run.repeat;
        settings["warmup"] = repeated && s.run.warmup;
        nlohmann::json lats = nlohmann::json::array();
        for (auto l : s.latencies) lats.push_back(l.count());
        settings["sweep"] = {{"param", s.param}, {"values", s.values}, {"latencies_us", lats}};
        if (!write_json(s.run.json_path, results_json(settings, runs))) return kExitUnverified;
    }
    return exit_status(runs, planned);
}

}  // namespace billion::harness
