// `billion compare` (see compare.hpp).
#include "compare.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "embedded.hpp"
#include "report.hpp"
#include "server_stats.hpp"
#include "signals.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
    auto sum = [](int who) {
        rusage u{};
        ::getrusage(who, &u);
        return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    return sum(RUSAGE_SELF) + sum(RUSAGE_CHILDREN);
}

// Resets this process's peak RSS (Linux >= 4.0), so each run reports its own peak.
void reset_peak_rss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

long peak_rss_kb() {
    std::ifstream f("/proc/self/status");
    for (std::string line; std::getline(f, line);)
        if (line.starts_with("VmHWM:")) return std::atol(line.c_str() + 6);
    return 0;
}

nlohmann::json settings_json(const CompareSettings& s, const client::Endpoint& server, const std::string& out_dir) {
    const auto& o = s.server;
    nlohmann::json j;
    j["strategies"] = s.strategies;
    j["sink"] = client::to_string(s.sink);
    j["out"] = out_dir;
    j["server"] = {{"url", server.url()}, {"embedded", !s.url.has_value()}};
    if (!s.url) {
        j["server"]["files"] = o.catalog.files;
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
    const auto& c = s.knobs.client;
    j["client"] = {{"connect_timeout_ms", c.connect_timeout.count()},
                   {"read_timeout_ms", c.read_timeout.count()},
                   {"max_attempts", c.max_attempts},
                   {"backoff_base_ms", c.backoff_base.count()},
                   {"backoff_cap_ms", c.backoff_cap.count()}};
    return j;
}

// Where a strategy's files go: a fresh, empty directory.
fs::path prepare_dir(const fs::path& base, const std::string& strategy) {
    fs::path dir = base / strategy;
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
        throw std::runtime_error("output directory " + dir.string() + " is not empty; choose another --out");
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
    return dir;
}

}  // namespace

int run_compare(const CompareSettings& s) {
    // Check everything the user gave before starting anything.
    std::vector<const strategies::Strategy*> chosen;
    for (const auto& name : s.strategies) {
        const auto* st = strategies::find(name);
        if (!st) {
            std::string known;
            for (const auto& k : strategies::all()) known += (known.empty() ? "" : ", ") + k.name;
            std::cerr << "billion: unknown strategy '" << name << "' (known: " << known << ", all)\n";
            return kExitUsage;
        }
        chosen.push_back(st);
    }
    client::Endpoint endpoint;
    if (s.url) {
        auto ep = client::parse_url(*s.url);
        if (!ep) {
            std::cerr << "billion: --url must look like http://127.0.0.1:8080, not '" << *s.url << "'\n";
            return kExitUsage;
        }
        endpoint = *ep;
    }
    fs::path base;
    bool temporary = false;
    if (s.sink == client::SinkConfig::Kind::files) {
        try {
            if (s.out.empty()) {
                // tmpfs when there is one: on the VMs' ext4 the speed of file creation depends on
                // what was deleted just before (shared/MACHINE-FACTS.md); --out measures a disk.
                std::error_code ec;
                fs::path parent = fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
                                      ? fs::path("/dev/shm")
                                      : fs::temp_directory_path();
                std::string tmpl = (parent / "billion-XXXXXX").string();
                if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory");
                base = tmpl;
                temporary = !s.keep;
            } else {
                base = s.out;
                for (const auto* st : chosen) {
                    std::error_code ec;
                    if (fs::exists(base / st->name, ec) && !fs::is_empty(base / st->name, ec))
                        throw std::runtime_error("output directory " + (base / st->name).string() +
                                                 " is not empty; choose another --out");
                }
            }
        } catch (const std::exception& e) {
            std::cerr << "billion: " << e.what() << "\n";
            return kExitUsage;
        }
    }

    std::unique_ptr<EmbeddedServer> embedded;
    if (!s.url) {
        try {
            embedded = std::make_unique<EmbeddedServer>(s.server);
        } catch (const std::exception& e) {
            std::cerr << "billion: " << e.what() << "\n";
            return kExitUnverified;
        }
        endpoint = embedded->endpoint();
        std::cerr << "embedded server (pid " << embedded->pid() << ") on " << endpoint.url() << ": "
                  << s.server.catalog.files << " files of " << s.server.catalog.file_size << " bytes\n";
    }

    std::vector<RunRecord> runs;
    for (const auto* st : chosen) {
        if (stop_requested()) break;
        RunRecord r;
        r.strategy = st->name;
        r.model = st->model;
        r.options = s.knobs;
        r.options.server = endpoint;
        r.options.stop = &stop_flag();
        r.options.sink.kind = s.sink;
        try {
            if (s.sink == client::SinkConfig::Kind::files) r.options.sink.dir = prepare_dir(base, st->name);
        } catch (const std::exception& e) {
            std::cerr << "billion: " << e.what() << "\n";
            return kExitUsage;
        }
        std::cerr << st->name << ": running (" << st->model << ")\n";
        auto before = fetch_server_counts(endpoint);
        double server_cpu0 = embedded ? embedded->cpu_seconds() : 0;
        double cpu0 = cpu_seconds();
        reset_peak_rss();
        auto t0 = std::chrono::steady_clock::now();
        try {
            r.result = st->run(r.options);
        } catch (const std::exception& e) {
            r.result.stats.fail(client::Stage::connect, e.what(), true);
        }
        r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        r.client_cpu_s = cpu_seconds() - cpu0;
        r.peak_rss_kb = std::max<long>(peak_rss_kb(), static_cast<long>(r.result.stats.peak_rss_kb));
        if (embedded) r.server_cpu_s = embedded->cpu_seconds() - server_cpu0;
        auto after = fetch_server_counts(endpoint);
        if (before && after) r.server = *after - *before;

        VerifyInput in;
        in.stats = &r.result.stats;
        in.interrupted = r.result.interrupted;
        in.catalog = embedded ? &s.server.catalog : nullptr;
        in.sink = r.options.sink;
        in.server = r.server;
        r.verification = verify(in);
        if (!r.result.children_ok) r.verification.add("worker processes exited cleanly", false, "a worker failed");
        std::cerr << st->name << ": " << r.result.stats.files << " files in " << r.wall_s << " s, "
                  << (r.verification.ok ? "verified" : "NOT verified: " + r.verification.first_problem()) << "\n";
        if (temporary) fs::remove_all(r.options.sink.dir);
        runs.push_back(std::move(r));
    }
    if (embedded) embedded->stop();
    if (temporary) fs::remove_all(base);
    else if (!base.empty()) std::cerr << "files kept under " << base.string() << "\n";

    std::cout << "\n";
    print_table(std::cout, runs);
    if (!s.json_path.empty()) {
        std::ofstream f(s.json_path);
        f << results_json(settings_json(s, endpoint, base.empty() ? "" : base.string() + (temporary ? " (temporary)" : "")), runs).dump(2) << "\n";
        if (!f) {
            std::cerr << "billion: cannot write " << s.json_path << "\n";
            return kExitUnverified;
        }
    }
    if (stop_requested()) return kExitInterrupted;
    for (const auto& r : runs)
        if (!r.verification.ok) return kExitUnverified;
    return kExitOk;
}

}  // namespace billion::harness
