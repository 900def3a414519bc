// Strategy `cluster`, from billion's side: starts the MPI job (cluster.cpp, the program
// billion-cluster) through mpirun, a child this process owns and always reaps, as it does the
// embedded server; hands a stop on to every rank; reads the merged counters rank 0 prints.
#include "strategies/cluster_launch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>

#include "client/errors.hpp"
#include "client/os_error.hpp"
#include "client/processes/ipc.hpp"
#include "strategies/cluster_wire.hpp"
#include "strategies/mpi_scratch.hpp"
#include "strategies/strategy.hpp"

namespace billion::strategies {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<std::string> mpirun_args(const Job& job, const std::string& exe, bool root, const std::string& scratch) {
    std::vector<std::string> a = {"mpirun", "-q", "--stdin", "none"};
    // The traps of running Open MPI from a benchmark, handled here rather than left to the user:
    if (root) a.emplace_back("--allow-run-as-root");  // it refuses root without this
    a.emplace_back("--oversubscribe");                // it refuses more ranks than cores without this
    a.insert(a.end(), {"--bind-to", "none"});         // ranks are scheduled like combo's processes
    // Open MPI 4.1's daemon maps the machine's topology into a hole it picks in its address
    // space, for the ranks to share, and can crash doing so (seen here: orted, SIGSEGV in
    // hwloc_shmem_topology_write, in one start of scripts/cluster-demo); each rank reading the
    // topology itself costs a few milliseconds once.
    a.insert(a.end(), {"--mca", "rtc_hwloc_vmhole", "none"});
    // Only tokens and one summary per rank cross between ranks, but a token's hop is part of
    // the chain's step. ob1 is the point-to-point layer over every transport.
    a.insert(a.end(), {"--mca", "pml", "ob1"});
    if (job.knobs.hosts.empty()) {
        // One machine: shared memory (vader), faster for a token than loopback TCP
        // (docs/decisions.md), without
        // its single-copy mechanism (CMA needs ptrace rights a container may lack: tokens are
        // small); TCP over the loopback interface (which Open MPI skips by default, and every
        // machine has) where shared memory cannot be used. No remote shell is needed, so none
        // is looked for (Open MPI refuses to start without ssh even for local ranks otherwise).
        a.insert(a.end(), {"--mca", "btl", "self,vader,tcp", "--mca", "btl_vader_single_copy_mechanism", "none",
                           "--mca", "btl_tcp_if_include", "lo", "--mca", "plm_rsh_agent", "false"});
        // The session directory and the segments in billion's own directory, removed after the
        // job however it ended (mpi_scratch.hpp says why).
        if (!scratch.empty())
            a.insert(a.end(), {"--mca", "orte_tmpdir_base", scratch, "--mca", "btl_vader_backing_directory", scratch});
    } else {
        // Hosts: TCP alone, over their own interfaces; Open MPI's own places for its files.
        a.insert(a.end(), {"--mca", "btl", "self,tcp", "--host", job.knobs.hosts});
    }
    a.insert(a.end(), {"-np", std::to_string(job.rank_count() + 1), exe, "--job", job_to_json(job)});
    return a;
}

client::Expected<void> check_hosts(std::string_view hosts) {
    if (hosts.empty()) return std::string("--hosts is empty");
    const auto slots = host_slots(hosts);
    if (slots) return client::outcome::success();
    return "--hosts takes HOST:SLOTS,... (e.g. 10.0.0.2:16,10.0.0.3:16), not '" + slots.error() + "'";
}

std::string cluster_exe() {
    if (const char* env = std::getenv("BILLION_CLUSTER")) return env;
    std::error_code ec;
    const auto beside = fs::read_symlink("/proc/self/exe", ec).parent_path() / "billion-cluster";
    if (!ec && fs::exists(beside)) return beside.string();
    return BILLION_CLUSTER_BUILT;  // tests: the build tree's
}

namespace {

// mpirun's supervision: how long one look at rank 0's output waits (the stop flag is looked
// at between), and how long ranks sent SIGTERM get before SIGKILL.
constexpr int kOutputPollMs = 100;
constexpr auto kKillAfterTerm = std::chrono::seconds(5);

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/bin:/bin";
    while (!dirs.empty()) {
        const auto end = std::min(dirs.find(':'), dirs.size());
        if (::access((fs::path(dirs.substr(0, end)) / program).c_str(), X_OK) == 0) return true;
        dirs.remove_prefix(std::min(end + 1, dirs.size()));
    }
    return false;
}

// mpirun, started in its own process group: Ctrl-C at the terminal reaches billion only;
// billion passes the stop on as SIGUSR1, which mpirun forwards to every rank.
pid_t start_mpirun(std::vector<std::string> args, int& out) {
    int fds[2];
    client::plain_pipe(fds);
    const pid_t pid = client::spawn([&] {
        ::setpgid(0, 0);
        ::dup2(fds[1], STDOUT_FILENO);
        return client::exec_args("mpirun", args);
    });
    ::close(fds[1]);
    out = fds[0];
    return pid;
}

}  // namespace

Result run_cluster(const Job& job) {
    Result result;
    auto& stats = result.stats;
    const auto exe = cluster_exe();
    if (!on_path("mpirun"))
        throw client::StageError(client::Stage::setup,
                                 "cluster needs Open MPI's mpirun (Debian: apt-get install openmpi-bin)");
    if (::access(exe.c_str(), X_OK) != 0)
        throw client::StageError(client::Stage::setup, "cluster needs billion-cluster, not found at " + exe);
    std::optional<MpiScratch> scratch;  // removed when this returns, after mpirun is reaped
    if (job.knobs.hosts.empty()) scratch.emplace();
    int out = -1;
    const pid_t pid =
        start_mpirun(mpirun_args(job, exe, ::geteuid() == 0, scratch ? scratch->path().string() : ""), out);

    // Rank 0's lines; a stop handed on once every rank can hear it (a SIGUSR1 that reaches
    // mpirun before the ranks are up kills it), then the time the ranks get to finish.
    bool ready = false, counted = false, stop_passed = false;
    std::optional<Clock::time_point> stop_seen, term_sent;
    const auto grace = job.client.read_timeout + std::chrono::seconds(10);
    std::string line;
    for (;;) {
        const auto now = Clock::now();
        if (job.stopping() && !stop_seen) stop_seen = now;
        if (stop_seen && ready && !stop_passed) stop_passed = ::kill(pid, SIGUSR1) == 0;
        if (stop_seen && !term_sent && now - *stop_seen > grace) {
            ::kill(pid, SIGTERM);  // the ranks did not finish in time: end the job, counters lost
            term_sent = now;
        }
        if (term_sent && now - *term_sent > kKillAfterTerm) ::kill(pid, SIGKILL);

        pollfd p{out, POLLIN, 0};
        const int r = ::poll(&p, 1, kOutputPollMs);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        char buf[65536];
        const auto n = ::read(out, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // mpirun is ending
        line.append(buf, static_cast<std::size_t>(n));
        for (auto nl = line.find('\n'); nl != std::string::npos; nl = line.find('\n')) {
            const std::string_view l(line.data(), nl);
            if (l == kReadyLine)
                ready = true;
            else if (parse_stats_line(l, stats))
                counted = true;
            else
                std::fprintf(stderr, "%.*s\n", static_cast<int>(l.size()), l.data());  // a rank's own words
            line.erase(0, nl + 1);
        }
    }
    ::close(out);
    const int status = client::wait_child(pid);
    const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!counted) {
        std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
        stats.fail(client::Stage::protocol, "the MPI job ended without its counters (mpirun: " + how + ")", true);
    }
    result.children_ok = exited_ok && counted;
    result.interrupted = job.stopping();
    return result;
}

}  // namespace billion::strategies
