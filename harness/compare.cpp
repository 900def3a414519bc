// `billion compare` (see compare.hpp).
#include "harness/compare.hpp"

#include <fstream>
#include <iostream>

#include "harness/limits.hpp"
#include "harness/peers.hpp"
#include "harness/report.hpp"
#include "harness/runner.hpp"
#include "harness/signals.hpp"

namespace billion::harness {

std::vector<const strategies::Strategy*> find_strategies(const std::vector<std::string>& names, std::string& error) {
    std::vector<const strategies::Strategy*> chosen;
    for (const auto& name : names) {
        const auto* st = strategies::find(name);
        if (!st) {
            std::string known;
            for (const auto& k : strategies::all()) known += (known.empty() ? "" : ", ") + k.name;
            error = "unknown strategy '" + name + "' (known: " + known + ", all)";
            return {};
        }
        chosen.push_back(st);
    }
    return chosen;
}

nlohmann::json common_settings(const std::optional<std::string>& url, const mock::Options& o,
                               const strategies::Options& knobs, client::SinkConfig::Kind sink,
                               const std::string& out) {
    nlohmann::json j;
    j["sink"] = client::to_string(sink);
    j["out"] = out;
    j["server"] = {{"embedded", !url.has_value()}};
    if (url) {
        j["server"]["url"] = *url;
    } else {
        j["server"]["page_size"] = o.catalog.page_size;
        j["server"]["file_size"] = o.catalog.file_size;
        j["server"]["seed"] = o.catalog.seed;
        j["server"]["threads"] = o.threads;
        j["server"]["latency_us"] = o.latency.count();
        j["server"]["jitter_us"] = o.jitter.count();
        j["server"]["faults"] = {{"error_rate", o.faults.error_rate},
                                 {"throttle_rate", o.faults.throttle_rate},
                                 {"retry_after_s", o.faults.retry_after_s},
                                 {"reset_rate", o.faults.reset_rate},
                                 {"truncate_rate", o.faults.truncate_rate},
                                 {"seed", o.fault_seed}};
    }
    const auto& c = knobs.client;
    j["client"] = {{"connect_timeout_ms", c.connect_timeout.count()},
                   {"read_timeout_ms", c.read_timeout.count()},
                   {"max_attempts", c.max_attempts},
                   {"backoff_base_ms", c.backoff_base.count()},
                   {"backoff_cap_ms", c.backoff_cap.count()}};
    return j;
}

bool write_json(const std::string& path, const nlohmann::json& doc) {
    std::ofstream f(path);
    f << doc.dump(2) << "\n";
    if (!f) std::cerr << "billion: cannot write " << path << "\n";
    return static_cast<bool>(f);
}

int run_compare(const CompareSettings& s) {
    // Check everything the user gave before starting anything.
    std::string error;
    auto chosen = find_strategies(s.strategies, error);
    if (chosen.empty()) {
        std::cerr << "billion: " << error << "\n";
        return kExitUsage;
    }
    if (s.resume && (s.run.sink != client::SinkConfig::Kind::files || s.run.out.empty() || s.run.repeat > 1 ||
                     s.sizes.size() > 1 || !s.peers.empty())) {
        std::cerr << "billion: --resume continues one files-sink run: it needs --sink files --out DIR, "
                     "and no --repeat, --sizes or --peers\n";
        return kExitUsage;
    }
    for (const auto& name : s.peers) {
        if (!find_peer(name)) {
            std::cerr << "billion: unknown peer '" << name << "' (known: aria2c, curl)\n";
            return kExitUsage;
        }
        chosen.push_back(find_peer(name));
    }
    if (auto limit = ensure_open_files(chosen, {s.knobs}); !limit.empty()) {
        std::cerr << "billion: " << limit << "\n";
        return kExitUsage;
    }
    std::optional<client::Endpoint> remote;
    std::unique_ptr<Output> out, peer_out;
    if (!prepare(s.url, s.run.sink, s.run.out, s.run.keep, remote, out)) return kExitUsage;
    // Peers write files whatever the sink: with --sink null they get a temporary tree.
    if (!s.peers.empty() && s.run.sink == client::SinkConfig::Kind::null) {
        try {
            peer_out = std::make_unique<Output>(client::SinkConfig::Kind::files, "", false);
        } catch (const std::exception& e) {
            std::cerr << "billion: " << e.what() << "\n";
            return kExitUsage;
        }
    }

    // One target per size (the embedded server's catalog is fixed), every strategy on each.
    std::vector<RunRecord> runs;
    const std::vector<std::uint64_t> sizes = remote ? std::vector<std::uint64_t>{0} : s.sizes;
    const bool repeated = s.run.repeat > 1;
    const std::size_t planned = sizes.size() * chosen.size() * static_cast<std::size_t>(s.run.repeat + (repeated && s.run.warmup));
    for (auto size : sizes) {
        if (stop_requested()) break;
        mock::Options o = s.server;
        o.catalog.files = size;
        auto target = open_target(remote, o);
        if (!target) return kExitUnverified;
        for (const auto* st : chosen) {
            int first = repeated && s.run.warmup ? -1 : 0;
            for (int k = first; k < s.run.repeat && !stop_requested(); ++k) {
                RunSpec spec{st, s.knobs, "", k < 0, std::max(k, 0), "", s.resume};
                spec.dir_name = st->name + (sizes.size() > 1 ? "-n" + std::to_string(size) : "") +
                                (k < 0 ? "-warmup" : repeated ? "-r" + std::to_string(k) : "");
                try {
                    bool peer = find_peer(st->name) != nullptr;
                    runs.push_back(run_once(spec, *target, peer && peer_out ? *peer_out : *out));
                } catch (const std::exception& e) {  // the output directory
                    std::cerr << "billion: " << e.what() << "\n";
                    return kExitUsage;
                }
            }
        }
    }
    if (out->kept()) std::cerr << "files kept under " << out->base().string() << "\n";

    std::cout << "\n";
    auto rows = summarize(runs);
    print_table(std::cout, rows, s.run.markdown);
    print_resources(std::cout, rows, s.run.markdown);
    print_fits(std::cout, fit_sizes(runs), s.run.markdown);
    if (!s.run.json_path.empty()) {
        auto settings = common_settings(s.url, s.server, s.knobs, s.run.sink, out->describe());
        settings["command"] = "compare";
        settings["strategies"] = s.strategies;
        settings["sizes"] = sizes;
        settings["repeat"] = s.run.repeat;
        settings["warmup"] = repeated && s.run.warmup;
        if (!write_json(s.run.json_path, results_json(settings, runs))) return kExitUnverified;
    }
    return exit_status(runs, planned);
}

}  // namespace billion::harness
