// billion: the command line (compare, sweep, serve, strategies).
#include <CLI/CLI.hpp>
#include <algorithm>

#include <iostream>
#include <set>
#include <string_view>
#include <thread>

#include "client/http/url_list.hpp"
#include "client/s3/bucket.hpp"
#include "client/s3/sigv4.hpp"
#include "harness/commands/compare.hpp"
#include "harness/commands/flags.hpp"
#include "harness/commands/serve.hpp"
#include "harness/commands/sweep.hpp"
#include "harness/commands/talk.hpp"
#include "harness/common/expected.hpp"
#include "harness/common/format.hpp"
#include "harness/common/units.hpp"
#include "harness/report/provenance.hpp"
#include "harness/run/server.hpp"
#include "harness/run/stop.hpp"
#include "strategies/cluster_launch.hpp"
#include "strategies/strategy.hpp"

using namespace billion;

namespace {

void add_server_options(CLI::App& cmd, mock::ServerConfig& o) {
    cmd.add_option("--page-size", o.catalog.page_size, "names per page")
        ->check(CLI::Range(1u, 1000000u))
        ->capture_default_str();
    cmd.add_option("--file-size", o.catalog.file_size, "bytes per file (with --url: the size every file must have)")
        ->check(CLI::Range(1u, 1u << 20))
        ->capture_default_str();
    cmd.add_option("--seed", o.catalog.seed, "catalog seed (names are fixed; contents follow the seed)")
        ->check(harness::whole_number())
        ->capture_default_str();
    cmd.add_option("--threads", o.threads, "server threads")->check(CLI::Range(1u, 1024u))->capture_default_str();
    harness::add_duration(cmd, "--jitter", o.jitter, "plus uniform random latency up to this");
    cmd.add_option("--error-rate", o.faults.error_rate, "share of requests answered 500/503")->check(harness::rate());
    cmd.add_option("--throttle-rate", o.faults.throttle_rate, "share answered 429 with Retry-After")
        ->check(harness::rate());
    cmd.add_option("--retry-after", o.faults.retry_after_s, "Retry-After seconds sent with 429")->capture_default_str();
    cmd.add_option("--reset-rate", o.faults.reset_rate, "share of connections reset instead of answered")
        ->check(harness::rate());
    cmd.add_option("--truncate-rate", o.faults.truncate_rate, "share of /get bodies cut short")->check(harness::rate());
    cmd.add_option("--fault-seed", o.fault_seed, "seed of fault and jitter draws")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd.add_option_function<std::string>(
           "--hostile", [&o](const std::string& m) { o.hostile = *mock::parse_hostile(m); },
           std::string("misbehave once, deterministically: ") + mock::kHostileModes)
        ->check([](const std::string& m) {
            return mock::parse_hostile(m) ? std::string() : std::string("unknown mode (") + mock::kHostileModes + ")";
        });
}

// Adds a timeout option stored in milliseconds: whole milliseconds, at least one (a timeout
// of zero would fail every request; a fraction would be rounded silently).
void add_millis(CLI::App& cmd, const std::string& name, std::chrono::milliseconds& target, const std::string& help) {
    cmd.add_option_function<std::int64_t>(
           name, [&target](std::int64_t us) { target = std::chrono::milliseconds(us / 1000); }, help)
        ->transform(harness::duration_units())
        ->check([](const std::string& us) {
            auto v = std::stoll(us);
            return v >= 1000 && v % 1000 == 0
                       ? std::string()
                       : std::string("a timeout is a whole number of milliseconds, at least 1ms");
        })
        ->default_str(std::to_string(target.count()) + "ms");
}

// How rows are measured, what compare, sweep and talk share: how they repeat
// (harness/run/repeats.hpp) and whether idle cores are kept awake (harness/host/pm_qos.hpp).
void add_measure_options(CLI::App& cmd, harness::RunSettings& r) {
    harness::RepeatRule& rule = r.repeats;
    cmd.add_option_function<std::string>(
           "--repeat",
           [&rule](const std::string& v) {
               const auto n = harness::parse_count(v);  // checked below
               rule.repeat = v == "auto" || !n ? 0 : static_cast<int>(n.value());
           },
           "counted runs of each row (the table shows the median and its interval); auto: after a short "
           "warm-up, until the median is known to --precision or --budget is spent (one run with --url, --out "
           "or --max-time)")
        ->check([](const std::string& v) {
            const auto n = harness::parse_count(v);
            return v == "auto" || (n && n.value() >= 1 && n.value() <= 1000)
                       ? std::string()
                       : std::string("--repeat is auto or a count from 1 to 1000");
        })
        ->default_str("auto");
    cmd.add_flag("--no-warmup{false}", rule.warmup, "no uncounted warm-up run first");
    cmd.add_option_function<double>(
           "--precision", [&rule](double p) { rule.precision = p / 100; },
           "--repeat auto: the median's 90 % interval within +- this many percent of it")
        ->check(CLI::Range(0.1, 100.0))
        ->default_str("5");
    harness::add_duration(cmd, "--budget", rule.budget, "--repeat auto: the most time a row's runs take")
        ->check(harness::positive())
        ->default_str(harness::compact_duration(rule.budget.count()));
    harness::add_duration(cmd, "--spread", rule.spread,
                          "start each row's counted runs evenly over this time, idle between them, so that "
                          "the interval holds the machine's drift over minutes (what a long run meets); "
                          "--repeat auto becomes " +
                              std::to_string(harness::kSpreadRuns) + " runs")
        ->check(harness::positive());
    cmd.add_option("--pm-qos", r.pm_qos,
                   "on: keep idle cores awake during the runs (hold /dev/cpu_dma_latency at 0, as latency "
                   "benchmarks do; needs root, else the first line says why not); off: leave power management be")
        ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"on", true}, {"off", false}}))
        ->default_str("on");
}

// Where a run's files and results go: the sink, --out, the checkpoint, the JSON.
void add_output_options(CLI::App& cmd, harness::RunSettings& r) {
    cmd.add_option("--sink", r.sink,
                   "null: count and check; files: a file each under --out; sqlite: a row each, one database per "
                   "writer under --out")
        ->transform(CLI::CheckedTransformer(std::map<std::string, client::SinkConfig::Kind>(
            std::begin(client::kSinkKinds), std::end(client::kSinkKinds))))
        ->default_str("null");
    cmd.add_option("--out", r.out, "files and sqlite sinks: directory (one subdirectory per run, kept)")
        ->check(harness::non_empty("directory"));
    cmd.add_flag("--keep", r.keep, "files and sqlite sinks: keep the temporary directory");
    cmd.add_option("--checkpoint", r.checkpoint,
                   "with --out: on, keep a checkpoint that --resume continues from; off, keep none (to measure "
                   "what keeping it costs: scripts/bench-sinks)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"on", true}, {"off", false}}))
        ->default_str("on");
    cmd.add_option("--json", r.json_path, "write the results here (results/SCHEMA.md)")
        ->check(harness::non_empty("path"));
}

// Where a bucket is: --s3 (any S3 server), --api s3 (the embedded server's bucket).
void add_bucket_options(CLI::App& cmd, harness::RunSettings& r) {
    cmd.add_option("--s3", r.s3,
                   "download this S3 bucket (path-style http://HOST:PORT/BUCKET[/PREFIX]) instead of the API's "
                   "listing; signed (SigV4) when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set")
        ->excludes("--url")
        ->excludes("--urls")
        ->check([](const std::string& u) {
            auto b = client::s3::parse_bucket_url(u);
            return b ? std::string() : b.error();
        });
    cmd.add_option("--api", r.api_s3,
                   "how the embedded server is spoken to: json, the talk's API; s3, as the bucket 'billion' "
                   "(ListObjectsV2 and GetObject; signed when AWS_* keys are set, the server given the same keys)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"json", false}, {"s3", true}}))
        ->excludes("--url")
        ->excludes("--urls")
        ->default_str("json");
}

// What compare and sweep share: where files go, how runs repeat, the strategies' knobs.
void add_run_options(CLI::App& cmd, harness::RunSettings& r, strategies::Knobs& k, client::ClientConfig& c,
                     std::optional<std::string>& url) {
    cmd.add_option("--url", url, "download from this server instead of the embedded one (http://HOST:PORT)")
        ->check([](const std::string& u) {
            auto e = harness::parse_server_url(u);
            return e ? std::string() : e.error();
        });
    cmd.add_option("--urls", r.urls,
                   "download the URLs of this file instead of walking the listing: one a line, http:// only, one "
                   "host and one directory (blank lines and # comments allowed)")
        ->excludes("--url")
        ->check(harness::non_empty("path"));
    add_bucket_options(cmd, r);
    add_output_options(cmd, r);
    add_measure_options(cmd, r);
    cmd.add_flag("--markdown", r.markdown, "print the table in Markdown");
    cmd.add_option("--expect-files", r.expect_files,
                   "with --url and --sink files: about how many files the server lists (sizes the shard "
                   "directories: 16 to 65,536)")
        ->transform(harness::count_units())
        ->check(harness::positive())
        ->capture_default_str();
    harness::add_duration(cmd, "--max-time", r.max_time,
                          "cap each run: list no page after this long, finish the pages listed (verified; the "
                          "row says capped; with --out, --resume continues)")
        ->default_str("none");
    cmd.add_option("--workers", k.workers, "threads: worker threads")
        ->check(CLI::Range(1u, 4096u))
        ->capture_default_str();
    cmd.add_option("--processes", k.processes, "processes, combo: worker processes (default: cores)")
        ->check(CLI::Range(1u, 1024u));
    cmd.add_option("--ranks", k.ranks,
                   "cluster: downloading MPI ranks, plus one that owns the tokens (default: the cores, or with "
                   "--hosts every slot but one)")
        ->check(CLI::Range(1u, 4096u));
    cmd.add_option("--hosts", k.hosts,
                   "cluster: where mpirun starts the ranks, HOST:SLOTS,... (default: this machine; billion's "
                   "address, --url's server and --out must be reachable from every host)")
        ->check(harness::non_empty("host list"))
        ->check([](const std::string& h) {
            auto ok = strategies::check_hosts(h);
            return ok ? std::string() : ok.error();
        });
    cmd.add_option("--concurrency", k.concurrency, "async, combo, cluster: requests in flight per loop")
        ->check(CLI::Range(1u, 100000u))
        ->capture_default_str();
    cmd.add_option("--pipeline", k.pipeline,
                   "async, combo, cluster: requests written on a connection before their answers are read "
                   "(HTTP/1.1 pipelining; 1: none)")
        ->check(CLI::Range(1u, 1024u))
        ->capture_default_str();
    cmd.add_flag("--gil", k.gil,
                 "threads: workers hold one global lock except while waiting on the network, as CPython's "
                 "threads do (the other strategies run one thread per interpreter: no effect there)");
    cmd.add_option_function<std::int64_t>(
           "--client-cpu", [&c](std::int64_t us) { c.cpu_per_request = std::chrono::microseconds(us); },
           "client CPU burnt for every answer, as an interpreter's per-request work (e.g. 500us)")
        ->transform(harness::duration_units());
    cmd.add_option("--batch", k.batch, "processes: file names per task")
        ->check(CLI::Range(1u, 4096u))
        ->capture_default_str();
    cmd.add_option("--names", c.names,
                   "contract: accept the API's names only ([A-Za-z0-9._-]); any: any one safe path component "
                   "(spaces, UTF-8, ...: for servers wider than the contract), stored under its exact name")
        ->transform(CLI::CheckedTransformer(std::map<std::string, client::NameRule>{
            {"contract", client::NameRule::contract}, {"any", client::NameRule::any}}))
        ->default_str("contract");
    cmd.add_option("--max-attempts", c.max_attempts, "tries per request")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    add_millis(cmd, "--connect-timeout", c.connect_timeout, "give up connecting after this long");
    add_millis(cmd, "--read-timeout", c.read_timeout, "give up on an answer after this long");
}

using harness::usage;

// CLI11 drops the empty items of a delimited list ("sync,,async" reads as "sync,async"): a
// typo would change the run silently. Looked for in the raw arguments, before parsing.
harness::Expected<void> check_list_items(int argc, char** argv) {
    static const std::set<std::string_view> lists = {"--strategies", "--strategy", "--peers", "--files",
                                                     "--sizes",      "--latency",  "--values"};
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i], value;
        if (auto eq = arg.find('='); eq != std::string_view::npos && lists.contains(arg.substr(0, eq)))
            value = arg.substr(eq + 1);
        else if (lists.contains(arg) && i + 1 < argc)
            value = argv[++i];
        else
            continue;
        if (value.empty() || value.front() == ',' || value.back() == ',' || value.find(",,") != std::string_view::npos)
            return std::string(arg.substr(0, arg.find('='))) + ": an empty item in '" + std::string(value) + "'";
    }
    return harness::outcome::success();
}

}  // namespace

namespace {

// --latency, one or several injected latencies (compare and sweep), in microseconds.
void add_latencies(CLI::App& cmd, std::vector<std::int64_t>& us, const std::string& help) {
    cmd.add_option("--latency", us, help)->delimiter(',')->transform(harness::duration_units())->default_str("0");
}

// What compare and sweep add after their own options: how runs go, the latencies, the
// embedded server's settings; --files (the embedded catalog) and --url exclude each other.
template <class Settings>
void add_session_options(CLI::App& cmd, Settings& s, std::vector<std::int64_t>& latencies_us, CLI::Option* files,
                         const std::string& latency_help) {
    add_run_options(cmd, s.run, s.knobs, s.client, s.url);
    files->excludes(cmd.get_option("--url"));
    add_latencies(cmd, latencies_us, latency_help);
    add_server_options(cmd, s.server);
}

std::vector<std::string> knob_names() {
    std::vector<std::string> v;
    for (const auto& k : strategies::kKnobNames)
        v.emplace_back(k.name);
    return v;
}

// Each subcommand registers its options in its own function and keeps what they fill in;
// run() checks what the parser cannot and starts the command.

// The checks compare and sweep share, after parsing.
harness::Expected<void> check_run_settings(const harness::RunSettings& run, const strategies::Knobs& knobs,
                                           const std::optional<std::string>& url) {
    if (!run.out.empty() && run.sink == client::SinkConfig::Kind::null)
        return "--out is for --sink files or --sink sqlite";
    // The embedded server listens on this machine's loopback: ranks on other hosts cannot reach it.
    if (!knobs.hosts.empty() && !url)
        return "--hosts needs --url, a server every host can reach (the embedded one listens on 127.0.0.1)";
    return harness::outcome::success();
}

// What compare and sweep do once parsed: the shared checks, each file held to the catalog's
// size (the embedded server's, or what --file-size says a --url server serves: the API's
// default, 100 bytes; another size is never stored), the latencies, Ctrl-C, the command.
template <class Settings>
int start(Settings& s, const std::vector<std::int64_t>& latencies_us, bool has_catalog, bool size_given,
          const char* needs, int (*command)(const Settings&)) {
    if (!s.run.urls.empty()) {
        // The list's one host is the server, as with --url; the file is the listing.
        if (has_catalog) return usage("--urls downloads the file's URLs: no --files");
        auto list = client::open_url_list(s.run.urls, s.client.names);
        if (!list) return usage(list.error());
        const auto& urls = list.value();
        s.url = urls.server.url();
        s.client.urls_file = urls.file;
        s.client.get_prefix = urls.prefix;
        s.run.expect_files = urls.count;
        s.run.urls_digest = urls.digest;
    }
    const auto keys = client::s3::credentials_from_env();
    if (!s.run.s3.empty()) {
        // A bucket's objects may have any size: each is held to its ETag, and to --file-size if given.
        if (has_catalog) return usage("--s3 downloads the bucket's objects: no --files");
        auto bucket = client::s3::parse_bucket_url(s.run.s3);
        if (!bucket) return usage("--s3: " + bucket.error());
        s.url = bucket.value().server.url();
        s.client.s3 = client::ClientConfig::S3{bucket.value().name, bucket.value().prefix, keys};
        s.client.get_prefix = client::s3::object_prefix(bucket.value().name, bucket.value().prefix);
    } else if (s.run.api_s3) {
        s.client.s3 = client::ClientConfig::S3{s.server.bucket, "", keys};
        s.client.get_prefix = client::s3::object_prefix(s.server.bucket, "");
        s.server.s3_keys = keys;  // the embedded server checks what the client signs
    }
    if (auto ok = check_run_settings(s.run, s.knobs, s.url); !ok) return usage(ok.error());
    if (!s.url && !has_catalog) return usage(needs);
    s.client.file_size = s.server.catalog.file_size;
    if (!s.run.s3.empty() && !size_given) s.client.file_size = 0;
    s.latencies.clear();
    for (auto us : latencies_us)
        s.latencies.emplace_back(us);
    harness::install_stop_handlers();
    return command(s);
}

struct Serve {
    mock::ServerConfig opts;
    CLI::App* cmd = nullptr;
    void add(CLI::App& app) {
        cmd = app.add_subcommand("serve", "run the mock file server in the foreground");
        cmd->add_option("--files", opts.catalog.files, "files in the catalog (10k, 1M, ...)")
            ->required()
            ->transform(harness::count_units());
        cmd->add_option("--host", opts.host, "address to bind")
            ->check(harness::non_empty("address"))
            ->capture_default_str();
        cmd->add_option("--port", opts.port, "port (0: any free port)")->capture_default_str();
        harness::add_duration(*cmd, "--latency", opts.latency, "added to every /list and /get answer (e.g. 1ms)");
        cmd->add_option("--bucket", opts.bucket, "the catalog is also this S3 bucket, path-style (/BUCKET?list-type=2, /BUCKET/KEY)")
            ->check([](const std::string& b) {
                auto ok = client::s3::parse_bucket_url("http://127.0.0.1:1/" + b);
                return ok && ok.value().prefix.empty() ? std::string() : std::string("not a bucket name: ") + b;
            })
            ->capture_default_str();
        add_server_options(*cmd, opts);
    }
    int run() {
        // Signed requests are checked against the keys of this environment (the AWS CLI's).
        opts.s3_keys = client::s3::credentials_from_env();
        return harness::run_serve(opts);
    }
};

struct Compare {
    harness::CompareSettings cs;
    std::vector<std::int64_t> latencies_us{0};
    CLI::App* cmd = nullptr;
    void add(CLI::App& app, unsigned server_threads) {
        cs.server.threads = server_threads;
        cmd = app.add_subcommand("compare", "download every file with each strategy, verify and compare");
        cmd->add_option("--strategies", cs.strategies,
                        "comma-separated: sync,threads,processes,async,combo,cluster, all (the five but cluster), "
                        "or none (the --peers alone)")
            ->delimiter(',')
            ->capture_default_str();
        cmd->add_flag("--resume", cs.resume, "continue an interrupted --sink files --out DIR run from its checkpoint");
        cmd->add_option("--peers", cs.peers,
                        "also time these on the same files: aria2c, curl, python-sync, python-threads, "
                        "python-processes, python-asyncio, python-combo, python (the five); on a bucket (--s3, "
                        "--api s3) the S3 tools aws, rclone, s3cmd, boto3, s3 (the four)")
            ->delimiter(',');
        auto* files = cmd->add_option("--files,--sizes", cs.sizes,
                                      "catalog size(s) of the embedded server (100k or 20k,50k,100k)")
                          ->delimiter(',')
                          ->transform(harness::count_units())
                          ->check(harness::positive());
        add_session_options(*cmd, cs, latencies_us, files,
                            "added to every /list and /get answer; several (0,100us,1ms,5ms): every strategy at each");
    }
    int run() {
        for (const char* flag : {"workers", "processes", "concurrency", "pipeline", "batch", "ranks", "keep"})
            if (cmd->count(std::string("--") + flag) > 0) cs.given.emplace_back(flag);
        const bool sized = !cs.sizes.empty() && !std::count(cs.sizes.begin(), cs.sizes.end(), 0u);
        return start(cs, latencies_us, sized, cmd->count("--file-size") > 0,
                     "compare needs --files N (the embedded server's catalog), --url URL or --s3 URL",
                     harness::run_compare);
    }
};

struct Sweep {
    harness::SweepSettings ss;
    std::vector<std::int64_t> latencies_us{0};
    CLI::App* cmd = nullptr;
    void add(CLI::App& app, unsigned server_threads) {
        ss.server.threads = server_threads;
        cmd = app.add_subcommand("sweep", "strategies over a grid of injected latencies and a knob's values");
        cmd->add_option("--strategy,--strategies", ss.strategies, "the strategies: threads, or sync,async, or all")
            ->required()
            ->delimiter(',');
        cmd->add_option("--param", ss.param, "the knob to sweep (a knob of every strategy named)")
            ->check(CLI::IsMember(knob_names()));
        cmd->add_option("--values", ss.values, "comma-separated values of the knob (1,4,16)")
            ->delimiter(',')
            ->check(CLI::Range(1u, 100000u));
        auto* files = cmd->add_option("--files", ss.server.catalog.files, "catalog size of the embedded server")
                          ->transform(harness::count_units())
                          ->check(harness::positive());
        add_session_options(*cmd, ss, latencies_us, files, "comma-separated injected latencies (0,1ms,5ms)");
    }
    int run() {
        return start(ss, latencies_us, ss.server.catalog.files > 0, cmd->count("--file-size") > 0,
                     "sweep needs --files N, --url URL or --s3 URL", harness::run_sweep);
    }
};

struct Talk {
    harness::TalkSettings ts;
    CLI::App* cmd = nullptr;
    void add(CLI::App& app, unsigned server_threads) {
        ts.server_threads = server_threads;
        cmd = app.add_subcommand(
            "talk",
            "the talk's five approaches with its model (interpreter CPU, GIL, 16 processes), its table beside ours");
        cmd->add_option("--files", ts.files, "catalog size of the embedded server")
            ->transform(harness::count_units())
            ->capture_default_str();
        // Its sync and threads rows take the talk's milliseconds a file by design: enough runs of them take longer.
        ts.run.repeats.budget = std::chrono::seconds(60);
        add_measure_options(*cmd, ts.run);
        cmd->add_option("--json", ts.run.json_path, "write the results here (results/SCHEMA.md)")
            ->check(harness::non_empty("path"));
        cmd->add_flag("--markdown", ts.run.markdown, "print the tables in Markdown");
        cmd->add_flag("--python", ts.python,
                      "also run the talk's five programs in Python (python/) and judge the model against them");
    }
    int run() const {
        if (ts.files == 0) return usage("talk needs --files of at least 1");
        harness::install_stop_handlers();
        return harness::run_talk(ts);
    }
};

struct List {
    CLI::App* cmd = nullptr;
    void add(CLI::App& app) { cmd = app.add_subcommand("strategies", "list the strategies"); }
    static int run() {
        for (const auto& s : strategies::all())
            std::cout << s.name << "\t" << s.model << "\n";
        return 0;
    }
};

// Refusals CLI11 cannot make: an empty list item, an unknown command.
harness::Expected<void> check_raw_arguments(CLI::App& app, int argc, char** argv) {
    if (auto ok = check_list_items(argc, argv); !ok) return ok;
    // "billion frob": CLI11 would only say that a subcommand is required.
    const auto named = app.get_subcommands([&](CLI::App* sub) { return argc > 1 && sub->check_name(argv[1]); });
    if (argc > 1 && argv[1][0] != '-' && named.empty())
        return std::string("unknown command '") + argv[1] + "' (compare, sweep, talk, serve, strategies; --help)";
    return harness::outcome::success();
}

void add_examples(CLI::App& app) {
    app.footer(R"(Examples:
  billion compare --strategies all --files 100k
  billion compare --strategies sync,async --files 20k --sink files --out /dev/shm/dl --json run.json
  billion compare --strategies all --sizes 20k,50k,100k --repeat 3 --markdown
  billion compare --strategies sync,async --files 20k --precision 2 --budget 30s   # a tighter median
  billion compare --strategies async --pipeline 16 --files 100k --spread 5min   # an interval for a long run
  billion compare --strategies sync --files 20k --pm-qos off   # let idle cores sleep: sync slows
  billion compare --strategies cluster --ranks 4 --files 100k   # cluster runs only when named
  billion compare --strategies all --latency 0,100us,1ms,5ms --files 5k --json grid.json   # then: scripts/plot grid.json
  billion compare --strategies all --latency 0,5ms --files 20k --max-time 10s --page-size 100
  billion compare --strategies async,combo --files 50k --peers aria2c,curl
  billion compare --strategies async --files 2k --peers python   # the talk's five programs, in Python
  billion compare --strategies combo --files 1M --sink files --out /data/dl   # Ctrl-C, then again with --resume
  billion sweep --strategy threads --param workers --values 1,4,16,64 --latency 0,1ms,5ms --files 20k
  billion sweep --strategy all --latency 0,1ms --files 5k
  billion talk --files 2k     # the talk's table beside this machine's, with the talk's model
  billion talk --python --files 1k   # and the talk's programs in Python beside the model
  billion serve --files 1M --port 8080 --latency 1ms
  billion compare --strategies combo --url http://127.0.0.1:8080 --processes 4 --concurrency 64
  billion compare --strategies sync,async,combo --urls urls.txt --sink files --out /data/dl   # a list of URLs
  billion compare --strategies async,combo --files 200k --pipeline 8   # HTTP/1.1 pipelining
  billion compare --strategies all --api s3 --files 20k --peers aws,rclone,s3cmd,boto3   # the bucket and its tools
  billion compare --strategies async --s3 http://127.0.0.1:9000/photos/2024/ --sink files --out /data/dl
  billion compare --strategies cluster --ranks 4 --files 100k     # MPI ranks on this machine (mpirun)
  billion compare --strategies cluster --ranks 32 --hosts 10.0.0.2:16,10.0.0.3:16 --url http://10.0.0.1:8080
Exit status: 0 verified, 1 a run failed verification, 2 bad input, 130 interrupted.)");
}

}  // namespace

static int run(int argc, char** argv) {
    harness::record_command(argc, argv);
    CLI::App app{"billion: what is the fastest way to download a billion 100-byte files, and why?"};
    app.require_subcommand(1);
    add_examples(app);
    const unsigned server_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
    Serve serve;
    Compare compare;
    Sweep sweep;
    Talk talk;
    List list;
    serve.add(app);
    compare.add(app, server_threads);
    sweep.add(app, server_threads);
    talk.add(app, server_threads);
    list.add(app);

    if (auto ok = check_raw_arguments(app, argc, argv); !ok) return usage(ok.error());
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help
        // One line with the prefix, as every other error (CLI11's own takes two, without it).
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        return usage(what + " (billion --help)");
    }
    if (serve.cmd->parsed()) return serve.run();
    if (list.cmd->parsed()) return List::run();
    if (talk.cmd->parsed()) return talk.run();
    if (compare.cmd->parsed()) return compare.run();
    return sweep.run();
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {  // a bug, not bad input: still one line and a status
        std::cerr << "billion: internal error: " << e.what() << "\n";
        return harness::kExitUnverified;
    }
}
