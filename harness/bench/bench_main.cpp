// billion_bench: one Google Benchmark per strategy against the mock server (in this process,
// on its own thread), e.g. BM_Download/strategy:async/files:100000, with counters for files/s
// and the projected days for 10^9 files. Its --benchmark_format=json works with Google
// Benchmark's compare.py. BILLION_BENCH_FILES sets the catalog size (default 100000).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>

#include "harness/common/units.hpp"
#include "harness/verify/verify.hpp"
#include "mock_server/server.hpp"
#include "strategies/strategy.hpp"

using namespace billion;

namespace {

// One server per catalog size, started on first use and kept for the whole binary.
class Servers {
public:
    client::Endpoint get(std::uint64_t files) {
        auto& slot = servers_[files];
        if (!slot) {
            mock::ServerConfig o;
            o.catalog.files = files;
            slot = std::make_unique<Running>(o);
        }
        return {"127.0.0.1", slot->server.port()};
    }

private:
    struct Running {
        explicit Running(const mock::ServerConfig& o) : server(o), thread([this] { server.run(); }) {}
        ~Running() {
            server.stop();
            thread.join();
        }
        mock::Server server;
        std::thread thread;
    };
    std::map<std::uint64_t, std::unique_ptr<Running>> servers_;
};

Servers& servers() {
    static Servers s;
    return s;
}

void BM_Download(benchmark::State& state, const strategies::Strategy* strategy) {
    const auto files = static_cast<std::uint64_t>(state.range(0));
    strategies::Job job;
    job.server = servers().get(files);
    mock::Catalog catalog;
    catalog.files = files;
    harness::CatalogDigests digests;  // the catalog's digest once, not once an iteration
    double wall = 0;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        auto result = strategy->run(job);
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.PauseTiming();
        auto v = harness::verify({.stats = &result.stats, .catalog = &catalog, .digests = &digests});
        state.ResumeTiming();
        if (!v.ok) {
            state.SkipWithError(("not verified: " + v.first_problem()).c_str());
            return;
        }
    }
    double done = static_cast<double>(files) * static_cast<double>(state.iterations());
    state.counters["files_per_s"] = benchmark::Counter(done, benchmark::Counter::kIsRate);
    state.counters["projected_days"] = wall / done * 1e9 / 86400;
    state.SetItemsProcessed(static_cast<std::int64_t>(done));
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t files = 100000;
    if (const char* env = std::getenv("BILLION_BENCH_FILES")) {
        // The same counts as the command line (5k, 1M): anything else is refused, not read as 0.
        const auto n = harness::parse_count(env);
        if (!n || n.value() == 0 || n.value() > static_cast<std::uint64_t>(INT64_MAX)) {
            std::fprintf(stderr, "billion_bench: BILLION_BENCH_FILES must be a count like 5k or 100000, not '%s'\n",
                         env);
            return 2;
        }
        files = static_cast<std::int64_t>(n.value());
    }
    for (const auto& s : strategies::all()) {
        benchmark::RegisterBenchmark(("BM_Download/strategy:" + s.name).c_str(), BM_Download, &s)
            ->ArgName("files")
            ->Arg(files)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
