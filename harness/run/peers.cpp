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
        else
            out.push_back(n);
    return out;
}

}  // namespace billion::harness
