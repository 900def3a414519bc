// Process and pipe plumbing (see ipc.hpp).
#include "client/processes/ipc.hpp"

#include "client/errors.hpp"
#include "client/processes/fd_io.hpp"
#include "client/os_error.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace billion::client {

static_assert(std::is_trivially_copyable_v<WorkerStats>, "stats travel between processes as bytes");

namespace {
// The children not yet waited for, and a directory to remove, read by quit_now in a signal
// handler: lock-free slots and a fixed buffer, no allocation.
constexpr std::size_t kChildSlots = 8192;  // --processes and --ranks are at most 4096
std::atomic<pid_t> g_children[kChildSlots];
char g_quit_dir[4096];
std::atomic<bool> g_quit_dir_set{false};
static_assert(std::atomic<pid_t>::is_always_lock_free, "read in a signal handler");

void remember_child(pid_t pid) {
    for (auto& slot : g_children) {
        pid_t empty = 0;
        if (slot.compare_exchange_strong(empty, pid)) return;
    }
}
}  // namespace

void forget_child(pid_t pid) {
    for (auto& slot : g_children) {
        pid_t p = pid;
        if (slot.compare_exchange_strong(p, 0)) return;
    }
}

int wait_child(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    forget_child(pid);
    return status;
}

void remove_on_quit(const std::string& dir) {
    g_quit_dir_set = false;
    if (dir.empty() || dir.size() >= sizeof g_quit_dir) return;
    std::memcpy(g_quit_dir, dir.c_str(), dir.size() + 1);
    g_quit_dir_set = true;
}

void quit_now(int status) noexcept {
    for (auto& slot : g_children)
        if (const pid_t p = slot.load(); p > 0) ::kill(p, SIGKILL);
    for (auto& slot : g_children)
        if (const pid_t p = slot.exchange(0); p > 0)
            while (::waitpid(p, nullptr, 0) < 0 && errno == EINTR) {
            }
    if (g_quit_dir_set.load()) {
        // No directory walk in a handler: rm does it (fork, execv and waitpid are safe here).
        if (const pid_t rm = ::fork(); rm == 0) {
            ::execl("/bin/rm", "rm", "-rf", "--", g_quit_dir, static_cast<char*>(nullptr));
            ::_exit(127);
        } else if (rm > 0) {
            while (::waitpid(rm, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
    }
    ::_exit(status);
}

pid_t spawn(const std::function<int()>& body) {
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0)
        throw StageError(Stage::setup, std::string("cannot start a worker process (fork): ") + os_error(errno));
    if (pid == 0) {
        // Checked after the prctl: a parent that died in between would otherwise go unseen.
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(1);
        int rc = 1;
        try {
            rc = body();
        } catch (...) {
            rc = 1;
        }
        ::_exit(rc);  // no atexit handlers or static destructors of the parent's state
    }
    remember_child(pid);
    return pid;
}

int exec_args(const std::string& program, std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(program.c_str(), argv.data());
    return 127;
}

void leave_stops_to_parent() {
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        ::signal(sig, SIG_IGN);
}

SharedFlag::SharedFlag() {
    static_assert(std::atomic<bool>::is_always_lock_free, "shared between processes without a lock");
    void* p = ::mmap(nullptr, sizeof(std::atomic<bool>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
    flag_ = new (p) std::atomic<bool>(false);
}

SharedFlag::~SharedFlag() {
    ::munmap(flag_, sizeof(std::atomic<bool>));
}

bool reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            forget_child(pid);
            return false;
        }
    }
    forget_child(pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void packet_pipe(int fds[2]) {
    if (::pipe2(fds, O_DIRECT | O_CLOEXEC) != 0)
        throw StageError(Stage::setup, std::string("cannot make a pipe to a worker: ") + os_error(errno));
}

void plain_pipe(int fds[2]) {
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw StageError(Stage::setup, std::string("cannot make a pipe to a worker: ") + os_error(errno));
}

bool send_message(int fd, std::uint8_t type, std::string_view payload) {
    std::string frame(5 + payload.size(), '\0');
    auto size = static_cast<std::uint32_t>(payload.size());
    std::memcpy(frame.data(), &size, 4);
    frame[4] = static_cast<char>(type);
    std::memcpy(frame.data() + 5, payload.data(), payload.size());
    return write_all(fd, frame);  // one write: atomic when it fits in PIPE_BUF
}

bool recv_message(int fd, Message& m) {
    std::uint32_t size = 0;
    if (!read_exact(fd, &size, 4) || size > kMaxMessageBytes) return false;
    if (!read_exact(fd, &m.type, 1)) return false;
    m.payload.resize(size);
    return size == 0 || read_exact(fd, m.payload.data(), size);
}

std::uint64_t own_peak_rss_kb() {
    std::ifstream f("/proc/self/status");
    for (std::string line; std::getline(f, line);)
        if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6));
    return 0;
}

void reset_own_peak_rss() {
    // Memory an earlier run freed but the allocator kept (per-thread arenas of a run with
    // hundreds of threads) would count as this run's: hand it back first.
    ::malloc_trim(0);
    std::ofstream("/proc/self/clear_refs") << "5";
}

void record_own_peak_rss(WorkerStats& stats) {
    stats.peak_rss_kb = stats.peak_rss_sum_kb = own_peak_rss_kb();
}

std::string_view as_bytes(const WorkerStats& s) {
    return {reinterpret_cast<const char*>(&s), sizeof s};
}

bool from_bytes(std::string_view bytes, WorkerStats& s) {
    if (bytes.size() != sizeof s) return false;
    std::memcpy(static_cast<void*>(&s), bytes.data(), sizeof s);
    return true;
}

}  // namespace billion::client
