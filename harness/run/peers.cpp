// aria2c, curl and the talk's Python programs as peers (see peers.hpp).
#include "harness/run/peers.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "client/check.hpp"
#include "client/http/api.hpp"
#include "client/processes/ipc.hpp"
#include "harness/verify/verify.hpp"

namespace billion::harness {

namespace fs = std::filesystem;

namespace {

// python/talk.py MISSING_LIBRARY: requests or aiohttp is not installed.
constexpr int kPythonLibraryMissing = 3;

// The peaks (VmHWM) of a tool's processes: the processes of its process group, read from
// /proc every kSample while it runs (fork's copy of billion would count in the tool's
// getrusage maxrss: not used).
class ToolMemory {
public:
    static constexpr auto kSample = std::chrono::milliseconds(100);
    void sample(pid_t group) {
        for (const auto& e : fs::directory_iterator("/proc", fs::directory_options::skip_permission_denied)) {
            const std::string pid = e.path().filename().string();
            if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream stat(e.path() / "stat");
            std::string line;
            std::getline(stat, line);
            const auto paren = line.rfind(')');  // the command may hold spaces and parentheses
            if (paren == std::string::npos) continue;
            std::istringstream rest(line.substr(paren + 1));
            std::string state;
            long ppid = 0, pgrp = 0;
            if (!(rest >> state >> ppid >> pgrp) || pgrp != group) continue;
            std::ifstream status(e.path() / "status");
            for (std::string l; std::getline(status, l);)
                if (l.starts_with("VmHWM:")) peaks_[std::stol(pid)] = std::stoull(l.substr(6));
        }
    }
    std::uint64_t largest_kb() const {
        std::uint64_t m = 0;
        for (const auto& [pid, kb] : peaks_)
            m = std::max(m, kb);
        return m;
    }
    std::uint64_t sum_kb() const {
        std::uint64_t sum = 0;
        for (const auto& [pid, kb] : peaks_)
            sum += kb;
        return sum;
    }

private:
    std::map<long, std::uint64_t> peaks_;
};

// Runs a command in a process group of its own and waits for it; its exit status, or -1
// when it could not start. The tool dies with billion (client::spawn); a stop (Ctrl-C, or
// SIGINT to billion alone) is passed on as SIGINT, then SIGKILL to the group after kGrace,
// so a stopped comparison leaves nothing running.
int run_tool(const std::vector<std::string>& args, const strategies::Job& job, ToolMemory& memory) {
    constexpr auto kGrace = std::chrono::seconds(5);
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = client::spawn([&] {
        ::setpgid(0, 0);
        ::execvp(argv[0], argv.data());
        return errno == ENOENT ? 126 : 127;
    });
    ::setpgid(pid, pid);  // also here: the group exists before the first sample, whichever runs first
    // Woken by the tool's end (its pidfd), or every kStopCheck to look at the stop flag.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    std::optional<std::chrono::steady_clock::time_point> stopped;
    auto sampled = std::chrono::steady_clock::now() - ToolMemory::kSample;
    int status = 0;
    for (;;) {
        const auto now = std::chrono::steady_clock::now();
        if (now - sampled >= ToolMemory::kSample) {
            memory.sample(pid);
            sampled = now;
        }
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            client::forget_child(pid);
            break;
        }
        if (job.stopping() && !stopped) {
            stopped = now;
            ::kill(pid, SIGINT);
        } else if (stopped && now - *stopped > kGrace) {
            ::kill(-pid, SIGKILL);
        }
        if (pidfd >= 0) {
            pollfd p{pidfd, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(client::kStopCheck.count()));
        } else {
            ::usleep(1000);  // no pidfd (Linux before 5.3): a millisecond's delay at most
        }
    }
    if (pidfd >= 0) ::close(pidfd);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 126) return -1;  // not found
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Lists every page with one blocking client; calls each(name) for every valid name.
template <class F>
void list_all(const strategies::Job& job, client::WorkerStats& stats, F each) {
    client::ApiClient api(job.server, job.client, stats);
    client::PageWalk walk;
    while (!job.stopping()) {
        auto page = api.next_page(walk);
        if (!page) break;
        for (const auto& name : page->names)
            each(name);
    }
}

// The peer's result: what the listing counted, and what the tool left on disk. missing: what
// to install when the tool is not there.
strategies::Result finish(const strategies::Job& job, client::WorkerStats listed, int status, const ToolMemory& memory,
                          const std::string& tool, const std::string& missing) {
    strategies::Result r;
    r.stats = listed;
    // The tool's connections and requests are not billion's to count: the server's counts stand (one_run.cpp).
    r.stats.connections = r.stats.requests = 0;
    r.stats.signed_requests = r.stats.signing_ns = 0;  // billion's listing signed its pages, not the tool's
    r.stats.peak_rss_kb = memory.largest_kb();
    r.stats.peak_rss_sum_kb = memory.sum_kb();
    DiskScan scan = scan_files(job.sink.dir);
    r.stats.received = scan.digest;
    r.stats.files = scan.digest.count;
    r.stats.bytes = scan.digest.bytes;
    if (status == -1 || status == kPythonLibraryMissing)
        r.stats.fail(client::Stage::connect, tool + " not found (scripts/setup installs " + missing + ")", true);
    else if (status != 0)
        r.stats.fail(client::Stage::get, tool + " exited with status " + std::to_string(status) +
                                             (status > 128 ? "" : " (its own error above)"));
    r.interrupted = job.stopping();
    return r;
}

strategies::Result run_aria2c(const strategies::Job& job) {
    client::WorkerStats stats;
    fs::path list = job.sink.dir / ".aria2c-input";
    {
        std::ofstream f(list);
        list_all(job, stats, [&](const std::string& name) {
            f << job.server.url() << job.client.get_prefix << name
              << "\n  dir=" << (job.sink.dir / client::shard_of(name, job.sink.shard_width)).string()
              << "\n  out=" << name << "\n";
        });
    }
    ToolMemory memory;
    int status = run_tool({"aria2c", "--input-file=" + list.string(), "-j", std::to_string(job.knobs.concurrency),
                           "--max-connection-per-server=1", "--enable-http-keep-alive=true", "--allow-overwrite=false",
                           "--auto-file-renaming=false", "--file-allocation=none", "--console-log-level=error",
                           "--summary-interval=0", "--download-result=hide", "--quiet=true"},
                          job, memory);
    fs::remove(list);
    return finish(job, stats, status, memory, "aria2c", "aria2");
}

strategies::Result run_curl(const strategies::Job& job) {
    client::WorkerStats stats;
    fs::path config = job.sink.dir / ".curl-config";
    {
        std::ofstream f(config);
        list_all(job, stats, [&](const std::string& name) {
            f << "url = \"" << job.server.url() << job.client.get_prefix << name << "\"\noutput = \""
              << (job.sink.dir / client::shard_of(name, job.sink.shard_width) / name).string() << "\"\n";
        });
    }
    ToolMemory memory;
    int status =
        run_tool({"curl", "--parallel", "--parallel-max", std::to_string(std::min(job.knobs.concurrency, 300u)),
                  "--create-dirs", "--silent", "--show-error", "--fail", "--config", config.string()},
                 job, memory);
    fs::remove(config);
    return finish(job, stats, status, memory, "curl", "curl");
}

// The talk's programs in Python (python/, copied beside billion by the build; a test program
// elsewhere in the build takes them from the source tree). Each lists and downloads by itself;
// billion lists the catalog too, first, to know what the program should leave (verify.hpp):
// that listing is not the program's, so not in its time.
std::string python_program(const std::string& file) {
    std::error_code ec;
    const auto beside = fs::read_symlink("/proc/self/exe", ec).parent_path() / "python" / file;
    if (!ec && fs::exists(beside)) return beside.string();
    return (fs::path(BILLION_PYTHON_SOURCE) / file).string();
}

// Debian's interpreter, where python3-requests and python3-aiohttp are installed; another
// with BILLION_PYTHON.
std::string python_interpreter() {
    if (const char* env = std::getenv("BILLION_PYTHON"); env && *env) return env;
    return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

strategies::Result run_python(const strategies::Job& job, const std::string& name, const std::string& file,
                              std::vector<std::string> knobs) {
    client::WorkerStats stats;
    const auto t0 = std::chrono::steady_clock::now();
    list_all(job, stats, [](const std::string&) {});
    const double listing_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<std::string> args = {python_interpreter(),  python_program(file), job.server.url(),
                                     job.sink.dir.string(), "--shard-width",      std::to_string(job.sink.shard_width)};
    args.insert(args.end(), knobs.begin(), knobs.end());
    ToolMemory memory;
    int status = job.stopping() || stats.fatal ? 0 : run_tool(args, job, memory);
    auto r = finish(job, stats, status, memory, name, "python3-requests and python3-aiohttp");
    r.untimed = {listing_s, 1, stats.requests};  // list_all's time, connection and pages
    return r;
}

std::string n(unsigned v) {
    return std::to_string(v);
}

// The S3 tools people use on a bucket (--peers aws,rclone,s3cmd,boto3). Each lists and
// downloads the bucket itself into a directory of its own, flat, one file a key; billion lists
// the bucket first to know what the tool should leave (untimed, as for the Python programs),
// then files what the tool wrote into the sink's shards (untimed) and verifies the tree as
// every row's: a tool that wrote something else, or not every object, fails verification.

// Where a tool writes: a directory of the run's, which the scan counts as stray unless emptied.
fs::path staging_of(const strategies::Job& job, const std::string& tool) {
    return job.sink.dir / ("." + tool);
}

// Moves each file the tool wrote into its shard; anything else stays, and is stray.
void file_into_shards(const fs::path& staging, const client::SinkConfig& sink) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(staging, ec)) {
        if (!e.is_regular_file(ec)) continue;
        const std::string name = e.path().filename().string();
        const fs::path dir = sink.dir / client::shard_of(name, sink.shard_width);
        fs::create_directories(dir, ec);
        fs::rename(e.path(), dir / name, ec);
    }
    fs::remove(staging, ec);  // only when nothing is left in it
}

// A program on the PATH (or a path that exists).
bool installed(const std::string& program) {
    if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    for (std::string_view rest = path ? path : ""; !rest.empty();) {
        const auto colon = rest.find(':');
        const std::string dir(rest.substr(0, colon));
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
        if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
    }
    return false;
}

// Debian's AWS CLI (package awscli), before another one earlier on the PATH (pip's, pyenv's).
std::string aws_cli() {
    return fs::exists("/usr/bin/aws") ? "/usr/bin/aws" : "aws";
}

struct S3Tool {
    std::string name;
    std::string package;
    std::vector<std::string> args;
};

// The tool's command against the job's bucket, writing into staging; files written beside it
// (a configuration) go in scratch, removed after the run.
S3Tool s3_tool(const std::string& tool, const strategies::Job& job, const fs::path& staging, const fs::path& scratch) {
    BILLION_CHECK(job.client.s3);  // compare refuses an S3 tool without a bucket
    const auto& b = *job.client.s3;
    const std::string endpoint = job.server.url();
    const bool anonymous = !b.credentials;
    const std::string region = anonymous ? "us-east-1" : b.credentials->region;
    const std::string from = "s3://" + b.bucket + "/" + b.prefix;
    const std::string c = n(job.knobs.concurrency);
    if (tool == "aws") {
        // `aws s3 sync` with max_concurrent_requests = C (its default: 10), from a config of its own.
        const fs::path config = scratch / "aws-config";
        std::ofstream(config) << "[default]\nregion = " << region << "\ns3 =\n  max_concurrent_requests = " << c << "\n";
        std::vector<std::string> a = {"env", "AWS_CONFIG_FILE=" + config.string(), aws_cli(), "--endpoint-url", endpoint};
        if (anonymous) a.push_back("--no-sign-request");
        a.insert(a.end(), {"s3", "sync", from, staging.string(), "--only-show-errors"});
        return {"aws", "awscli", a};
    }
    if (tool == "rclone") {
        // rclone copy with --transfers C, keys from the environment (AWS_*), none when anonymous.
        // (Without AWS_CA_BUNDLE: rclone 1.60 cannot load one into its own HTTP transport, even for http://.)
        return {"rclone", "rclone",
                {"env", "-u", "AWS_CA_BUNDLE", "rclone", "copy", ":s3:" + b.bucket + "/" + b.prefix, staging.string(), "--config",
                 (scratch / "rclone.conf").string(), "--s3-provider", "Other", "--s3-endpoint", endpoint,
                 "--s3-force-path-style=true", "--s3-region", region,
                 std::string("--s3-env-auth=") + (anonymous ? "false" : "true"), "--transfers", c, "--checkers", c,
                 "-q"}};
    }
    if (tool == "s3cmd") {
        // s3cmd get --recursive: one request at a time (it has no parallel download), path-style.
        const fs::path config = scratch / "s3cmd.cfg";
        {
            std::ofstream f(config);
            f << "[default]\nhost_base = " << job.server.host << ":" << job.server.port
              << "\nhost_bucket = " << job.server.host << ":" << job.server.port
              << "\nuse_https = False\nsignature_v2 = False\nbucket_location = " << region
              << "\naccess_key = " << (anonymous ? "" : b.credentials->access_key)
              << "\nsecret_key = " << (anonymous ? "" : b.credentials->secret_key) << "\n";
        }
        fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
        return {"s3cmd", "s3cmd",
                {"s3cmd", "-c", config.string(), "--no-progress", "--quiet", "get", "--recursive", from,
                 staging.string() + "/"}};
    }
    std::vector<std::string> a = {python_interpreter(), python_program("s3_boto3.py"), endpoint, b.bucket,
                                  staging.string(), "--prefix", b.prefix, "--workers", c};
    if (anonymous) a.push_back("--anonymous");
    return {"boto3", "python3-boto3", a};
}

strategies::Result run_s3_tool(const strategies::Job& job, const std::string& tool) {
    client::WorkerStats stats;
    const auto t0 = std::chrono::steady_clock::now();
    list_all(job, stats, [](const std::string&) {});
    double untimed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const fs::path staging = staging_of(job, tool);
    const fs::path scratch = job.sink.dir / ("." + tool + "-config");
    std::error_code ec;
    fs::create_directories(staging, ec);
    fs::create_directories(scratch, ec);
    const S3Tool t = s3_tool(tool, job, staging, scratch);
    // The program after env's own arguments (NAME=VALUE, -u NAME).
    std::size_t at = 0;
    if (t.args.front() == "env")
        for (at = 1; at < t.args.size() && (t.args[at].find('=') != std::string::npos || t.args[at] == "-u"); ++at)
            if (t.args[at] == "-u") ++at;
    const std::string& program = t.args[at];
    ToolMemory memory;
    int status = 0;
    if (!installed(program))
        status = -1;
    else if (!job.stopping() && !stats.fatal)
        status = run_tool(t.args, job, memory);
    fs::remove_all(scratch, ec);  // a configuration may hold the secret key
    const auto t1 = std::chrono::steady_clock::now();
    file_into_shards(staging, job.sink);
    untimed_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    auto r = finish(job, stats, status == kPythonLibraryMissing && tool != "boto3" ? 1 : status, memory, tool,
                    t.package);
    r.untimed = {untimed_s, 1, stats.requests};  // billion's listing (its connection, pages) and filing
    return r;
}

// Open files of one of the tool's processes, for the open-file preflight (limits.hpp): a
// connection and an output file a download in flight, and a few of the tool's own.
constexpr std::uint64_t kToolFiles = 16;
std::uint64_t fds_for(std::uint64_t in_flight) {
    return 2 * in_flight + kToolFiles;
}

}  // namespace

const strategies::Strategy* find_peer(const std::string& name) {
    using strategies::Job;
    static const std::vector<strategies::Strategy> peers = {
        {"aria2c", "peer: billion lists, aria2c -i URLs -j C downloads", run_aria2c,
         [](const Job& j) { return fds_for(j.knobs.concurrency); }, {"concurrency"}},
        {"curl", "peer: billion lists, curl --parallel --parallel-max C downloads", run_curl,
         [](const Job& j) { return fds_for(std::min(j.knobs.concurrency, 300u)); }, {"concurrency"}},
        {"python-sync", "peer: python/sync.py, one requests.Session",
         [](const Job& j) { return run_python(j, "python-sync", "sync.py", {}); }, [](const Job&) { return fds_for(1); }},
        {"python-threads", "peer: python/threads.py, W threads fed names by a queue",
         [](const Job& j) {
             return run_python(j, "python-threads", "threads.py", {"--workers", n(j.knobs.workers)});
         },
         [](const Job& j) { return fds_for(j.knobs.workers); }, {"workers"}},
        {"python-processes", "peer: python/processes.py, a multiprocessing.Pool of P fed names",
         [](const Job& j) {
             return run_python(j, "python-processes", "processes.py", {"--processes", n(j.process_count())});
         },
         [](const Job& j) { return fds_for(1) + 2 * std::uint64_t{j.process_count()}; }, {"processes"}},
        {"python-asyncio", "peer: python/async_loop.py, one asyncio loop, C aiohttp requests in flight",
         [](const Job& j) {
             return run_python(j, "python-asyncio", "async_loop.py", {"--concurrency", n(j.knobs.concurrency)});
         },
         [](const Job& j) { return fds_for(j.knobs.concurrency); }, {"concurrency"}},
        {"python-combo", "peer: python/combo.py, P processes passing a token, an asyncio loop each",
         [](const Job& j) {
             return run_python(j, "python-combo", "combo.py",
                               {"--processes", n(j.process_count()), "--concurrency", n(j.knobs.concurrency)});
         },
         [](const Job& j) { return fds_for(j.knobs.concurrency) + 2 * std::uint64_t{j.process_count()}; },
         {"processes", "concurrency"}},
        {"aws", "peer (S3): aws s3 sync, max_concurrent_requests C", [](const Job& j) { return run_s3_tool(j, "aws"); },
         [](const Job& j) { return fds_for(j.knobs.concurrency); }, {"concurrency"}},
        {"rclone", "peer (S3): rclone copy --transfers C", [](const Job& j) { return run_s3_tool(j, "rclone"); },
         [](const Job& j) { return fds_for(j.knobs.concurrency); }, {"concurrency"}},
        {"s3cmd", "peer (S3): s3cmd get --recursive, one request at a time",
         [](const Job& j) { return run_s3_tool(j, "s3cmd"); }, [](const Job&) { return fds_for(1); }},
        {"boto3", "peer (S3): python/s3_boto3.py, a paginator and C download_file threads",
         [](const Job& j) { return run_s3_tool(j, "boto3"); }, [](const Job& j) { return fds_for(j.knobs.concurrency); },
         {"concurrency"}},
    };
    for (const auto& p : peers)
        if (p.name == name) return &p;
    return nullptr;
}

std::vector<std::string> expand_peers(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& n : names)
        if (n == "python")
            out.insert(out.end(), kPythonPeers.begin(), kPythonPeers.end());
        else if (n == "s3")
            out.insert(out.end(), kS3Peers.begin(), kS3Peers.end());
        else
            out.push_back(n);
    return out;
}

}  // namespace billion::harness
