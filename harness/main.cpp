// billion: the command line (serve, compare, strategies).
#include <CLI/CLI.hpp>

#include <iostream>
#include <thread>

#include "compare.hpp"
#include "serve.hpp"
#include "signals.hpp"
#include "strategy.hpp"
#include "units.hpp"

using namespace billion;

namespace {

void add_server_options(CLI::App& cmd, mock::Options& o) {
    cmd.add_option("--page-size", o.catalog.page_size, "names per page")->check(CLI::Range(1u, 1000000u))->capture_default_str();
    cmd.add_option("--file-size", o.catalog.file_size, "bytes per file")->check(CLI::Range(1u, 1u << 20))->capture_default_str();
    cmd.add_option("--seed", o.catalog.seed, "catalog seed (names are fixed; contents follow the seed)")->capture_default_str();
    cmd.add_option("--threads", o.threads, "server threads")->check(CLI::Range(1u, 1024u))->capture_default_str();
    harness::add_duration(cmd, "--latency", o.latency, "added to every /list and /get answer (e.g. 1ms)");
    harness::add_duration(cmd, "--jitter", o.jitter, "plus uniform random latency up to this");
    cmd.add_option("--error-rate", o.faults.error_rate, "share of requests answered 500/503")->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--throttle-rate", o.faults.throttle_rate, "share answered 429 with Retry-After")->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--retry-after", o.faults.retry_after_s, "Retry-After seconds sent with 429")->capture_default_str();
    cmd.add_option("--reset-rate", o.faults.reset_rate, "share of connections reset instead of answered")->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--truncate-rate", o.faults.truncate_rate, "share of /get bodies cut short")->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--fault-seed", o.fault_seed, "seed of fault and jitter draws")->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"billion: what is the fastest way to download a billion 100-byte files, and why?"};
    app.require_subcommand(1);
    app.footer(R"(Examples:
  billion compare --strategies all --files 100k
  billion compare --strategies sync,async --files 20k --sink files --out /dev/shm/dl --json run.json
  billion serve --files 1M --port 8080 --latency 1ms
  billion compare --strategies combo --url http://127.0.0.1:8080 --processes 4 --concurrency 64
Exit status: 0 verified, 1 a run failed verification, 2 bad input, 130 interrupted.)");

    mock::Options serve_opts;
    serve_opts.threads = 1;
    auto* serve = app.add_subcommand("serve", "run the mock file server in the foreground");
    serve->add_option("--files", serve_opts.catalog.files, "files in the catalog (10k, 1M, ...)")
        ->required()
        ->transform(harness::count_units());
    serve->add_option("--host", serve_opts.host, "address to bind")->capture_default_str();
    serve->add_option("--port", serve_opts.port, "port (0: any free port)")->capture_default_str();
    add_server_options(*serve, serve_opts);

    harness::CompareSettings cs;
    cs.server.threads = std::max(1u, std::thread::hardware_concurrency() / 2);
    std::string strategy_list = "all";
    std::string sink = "null";
    std::uint64_t files = 0;
    auto* compare = app.add_subcommand("compare", "download every file with each strategy, verify and compare");
    compare->add_option("--strategies", strategy_list, "comma-separated: sync,threads,processes,async,combo or all")
        ->capture_default_str();
    auto* files_opt = compare->add_option("--files", files, "files in the embedded server's catalog (10k, 1M, ...)")
                          ->transform(harness::count_units());
    auto* url_opt = compare->add_option("--url", cs.url, "download from this server instead (http://HOST:PORT)");
    files_opt->excludes(url_opt);
    compare->add_option("--sink", sink, "null: count and check; files: write under --out")
        ->check(CLI::IsMember({"null", "files"}))
        ->capture_default_str();
    compare->add_option("--out", cs.out, "files sink: directory (one subdirectory per strategy, kept)");
    compare->add_flag("--keep", cs.keep, "files sink: keep the temporary directory");
    compare->add_option("--json", cs.json_path, "write the results here (results/SCHEMA.md)");
    compare->add_option("--workers", cs.knobs.workers, "threads: worker threads")->check(CLI::Range(1u, 4096u))->capture_default_str();
    compare->add_option("--processes", cs.knobs.processes, "processes, combo: worker processes (default: cores)")
        ->check(CLI::Range(1u, 1024u));
    compare->add_option("--concurrency", cs.knobs.concurrency, "async, combo: requests in flight per loop")
        ->check(CLI::Range(1u, 100000u))
        ->capture_default_str();
    compare->add_option("--batch", cs.knobs.batch, "processes: file names per task")->check(CLI::Range(1u, 4096u))->capture_default_str();
    compare->add_option("--max-attempts", cs.knobs.client.max_attempts, "tries per request")->check(CLI::Range(1, 100))->capture_default_str();
    add_server_options(*compare, cs.server);

    auto* list = app.add_subcommand("strategies", "list the strategies");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : harness::kExitUsage;
    }

    if (serve->parsed()) return harness::run_serve(serve_opts);
    if (list->parsed()) {
        for (const auto& s : strategies::all()) std::cout << s.name << "\t" << s.model << "\n";
        return 0;
    }
    if (!cs.url && files == 0) {
        std::cerr << "billion: compare needs --files N (the embedded server's catalog) or --url URL\n";
        return harness::kExitUsage;
    }
    if (!cs.out.empty() && sink != "files") {
        std::cerr << "billion: --out is for --sink files\n";
        return harness::kExitUsage;
    }
    cs.server.catalog.files = files;
    cs.sink = sink == "files" ? client::SinkConfig::Kind::files : client::SinkConfig::Kind::null;
    if (strategy_list == "all") {
        for (const auto& s : strategies::all()) cs.strategies.push_back(s.name);
    } else {
        for (std::size_t pos = 0; pos <= strategy_list.size();) {
            auto comma = strategy_list.find(',', pos);
            if (comma == std::string::npos) comma = strategy_list.size();
            cs.strategies.push_back(strategy_list.substr(pos, comma - pos));
            pos = comma + 1;
        }
    }
    harness::install_stop_handlers();
    return harness::run_compare(cs);
}
