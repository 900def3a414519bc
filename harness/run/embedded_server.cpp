// Starting and stopping the embedded server child (see embedded_server.hpp).
#include "harness/run/embedded_server.hpp"

#include "client/errors.hpp"
#include "client/os_error.hpp"
#include "client/processes/ipc.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace billion::harness {

namespace {
// The child's first line, "listening on http://HOST:PORT": how long it may take to come, and
// how long it may be.
constexpr int kListeningWaitMs = 10000;
constexpr std::size_t kListeningLineMax = 512;
}  // namespace

std::vector<std::string> serve_args(const mock::ServerConfig& o) {
    auto num = [](auto v) { return std::to_string(v); };
    auto rate = [](double r) {
        std::ostringstream s;
        s.precision(17);
        s << r;
        return s.str();
    };
    // One flag and its value a line (clang-format would put each on its own).
    // clang-format off
    return {"serve",
            "--files", num(o.catalog.files),
            "--page-size", num(o.catalog.page_size),
            "--file-size", num(o.catalog.file_size),
            "--seed", num(o.catalog.seed),
            "--host", o.host,
            "--port", num(o.port),
            "--threads", num(o.threads),
            "--latency", num(o.latency.count()) + "us",
            "--jitter", num(o.jitter.count()) + "us",
            "--error-rate", rate(o.faults.error_rate),
            "--throttle-rate", rate(o.faults.throttle_rate),
            "--retry-after", num(o.faults.retry_after_s),
            "--reset-rate", rate(o.faults.reset_rate),
            "--truncate-rate", rate(o.faults.truncate_rate),
            "--fault-seed", num(o.fault_seed),
            "--hostile", mock::to_string(o.hostile),
            "--bucket", o.bucket};
    // clang-format on
}

Expected<std::unique_ptr<EmbeddedServer>> EmbeddedServer::start(const mock::ServerConfig& o) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return "cannot start the embedded server (pipe): " + client::os_error(errno);
    std::vector<std::string> args = serve_args(o);
    args.insert(args.begin(), "billion");
    std::unique_ptr<EmbeddedServer> server(new EmbeddedServer);
    // A child of this thread: it dies with the client (PR_SET_PDEATHSIG), even a killed one.
    try {
        server->pid_ = client::spawn([&] {
            ::setpgid(0, 0);  // Ctrl-C goes to the client's group only; the client stops the server
            ::dup2(out[1], STDOUT_FILENO);
            return client::exec_args("/proc/self/exe", args);
        });
    } catch (const client::StageError& e) {  // spawn's convention: a failed fork
        ::close(out[0]);
        ::close(out[1]);
        return std::string(e.what());
    }
    ::close(out[1]);
    // Read the "listening on http://HOST:PORT" line, kListeningWaitMs at most.
    std::string line;
    char c;
    pollfd pfd{out[0], POLLIN, 0};
    while (line.size() < kListeningLineMax) {
        int r = ::poll(&pfd, 1, kListeningWaitMs);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || ::read(out[0], &c, 1) != 1) break;
        if (c == '\n') break;
        line.push_back(c);
    }
    ::close(out[0]);
    constexpr std::string_view prefix = "listening on ";
    auto ep = line.starts_with(prefix) ? client::parse_url(line.substr(prefix.size())) : std::nullopt;
    if (!ep) return "the embedded server did not start (it said '" + line + "')";  // stopped as server goes
    server->endpoint_ = *ep;
    return server;
}

EmbeddedServer::~EmbeddedServer() {
    stop();
}

double EmbeddedServer::cpu_seconds() const {
    // The scheduler's nanosecond counters, thread by thread (/proc/PID/task/TID/schedstat:
    // time on the CPU first): clock ticks (USER_HZ) would round a short run's cost away.
    namespace fs = std::filesystem;
    std::error_code ec;
    std::uint64_t ns = 0;
    bool any = false;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
        std::ifstream f(task.path() / "schedstat");
        std::uint64_t on_cpu = 0;
        if (f >> on_cpu) ns += on_cpu, any = true;
    }
    if (any) return static_cast<double>(ns) / 1e9;
    // No schedstat (a kernel without it): user + system time from /proc/PID/stat, in ticks.
    std::ifstream f("/proc/" + std::to_string(pid_) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto close_paren = s.rfind(')');
    if (close_paren == std::string::npos) return 0;
    std::istringstream fields(s.substr(close_paren + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    // Fields after the command: state is field 3; utime and stime are fields 14 and 15.
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

void EmbeddedServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    client::wait_child(pid_);
    pid_ = -1;
}

}  // namespace billion::harness
