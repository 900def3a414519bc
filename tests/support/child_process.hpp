// A `billion` child process for end-to-end tests: its stdout and stderr read apart, a wait
// for a line on stderr, signals to it or to its whole group, and a bounded wait for its end.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace billion::testkit {

// What a finished `billion ARGS` printed (stdout and stderr together) and its exit status;
// env: variables set for it ("NAME=value ...").
struct Ran {
    int status;
    std::string out;
};
inline Ran run_billion(const std::string& args, const std::string& env = "") {
    const std::string cmd = env + " " + std::getenv("BILLION_EXE") + " " + args + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf;
    while (auto n = std::fread(buf.data(), 1, buf.size(), p))
        out.append(buf.data(), n);
    const int st = ::pclose(p);
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

class Billion {
public:
    // Starts BILLION_EXE with args; `own_group`: in a process group of its own, as a shell
    // job is (so a signal to the group reaches it and its worker processes, not the test).
    explicit Billion(const std::vector<std::string>& args, bool own_group = true,
                     const std::string& shell_prefix = "") {
        int out[2], err[2];
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) std::abort();
        std::string cmd = shell_prefix + "exec " + std::getenv("BILLION_EXE");
        for (const auto& a : args)
            cmd += " '" + a + "'";
        pid_ = ::fork();
        if (pid_ == 0) {
            if (own_group) ::setpgid(0, 0);
            ::dup2(out[1], STDOUT_FILENO);
            ::dup2(err[1], STDERR_FILENO);
            ::execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
            ::_exit(127);
        }
        if (own_group) ::setpgid(pid_, pid_);  // both sides: no race with the first signal
        ::close(out[1]);
        ::close(err[1]);
        out_ = out[0];
        err_ = err[0];
    }
    ~Billion() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (out_ >= 0) ::close(out_);
        if (err_ >= 0) ::close(err_);
    }

    pid_t pid() const { return pid_; }
    const std::string& out() const { return out_text_; }
    const std::string& err() const { return err_text_; }

    // Reads until stderr holds text; false when the process ended or timeout passed first.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        return wait_until([&] { return err_text_.find(text) != std::string::npos; }, timeout);
    }
    // The same on stdout.
    bool wait_for_out(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        return wait_until([&] { return out_text_.find(text) != std::string::npos; }, timeout);
    }
    // Reads what it prints until ready() holds; false when the process ended or timeout passed.
    template <class Ready>
    bool wait_until(Ready ready, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!ready()) {
            if (std::chrono::steady_clock::now() > until || !pump(50)) return ready();
        }
        return true;
    }
    void signal(int sig) { ::kill(pid_, sig); }
    // A second stop request, after the first was heard ("billion: stopping"): signals of one
    // burst count as one, so the signal is sent again as it reads on, until the process ends
    // (true) or timeout passes. No guess at how long a burst lasts.
    bool stop_again(int sig, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        if (!wait_for("billion: stopping", timeout)) return false;
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            signal(sig);
            if (!pump(50)) return true;
        }
        return false;
    }
    void signal_group(int sig) { ::kill(-pid_, sig); }

    // Waits for the end (reading everything it prints); its exit code, 128 + N for signal N,
    // or -1 when it has not ended within timeout (then it is killed).
    int finish(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (pump(50))
            if (std::chrono::steady_clock::now() > until) break;
        int st = 0;
        while (::waitpid(pid_, &st, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > until) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, nullptr, 0);
                pid_ = -1;
                return -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }

private:
    // One poll of both pipes; false once both are at end of file.
    bool pump(int ms) {
        pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
        if (out_ < 0 && err_ < 0) return false;
        if (::poll(fds, 2, ms) <= 0) return true;
        char buf[4096];
        int* ends[2] = {&out_, &err_};
        std::string* texts[2] = {&out_text_, &err_text_};
        for (int i = 0; i < 2; ++i) {
            if (*ends[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = ::read(*ends[i], buf, sizeof buf);
            if (n > 0)
                texts[i]->append(buf, static_cast<std::size_t>(n));
            else {
                ::close(*ends[i]);
                *ends[i] = -1;
            }
        }
        return out_ >= 0 || err_ >= 0;
    }

    pid_t pid_ = -1;
    int out_ = -1, err_ = -1;
    std::string out_text_, err_text_;
};

// Whether this process has a child, running or not yet reaped: a strategy's workers (or
// mpirun) must all be gone when it returns.
inline bool has_children() {
    int status;
    return ::waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD;
}

// Whether a process has ended (gone, or a zombie nobody has reaped yet).
inline bool process_ended(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(f, line)) return true;
    auto paren = line.rfind(')');
    return paren != std::string::npos && paren + 2 < line.size() && (line[paren + 2] == 'Z' || line[paren + 2] == 'X');
}

// The processes whose parent is pid (from /proc).
inline std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> kids;
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream f(e.path() / "stat");
        std::string line;
        if (!std::getline(f, line)) continue;
        auto paren = line.rfind(')');
        if (paren == std::string::npos) continue;
        std::istringstream rest(line.substr(paren + 2));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid == pid) kids.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return kids;
}

// Every process below pid: children, their children (mpirun's ranks), and so on.
inline std::vector<pid_t> descendants_of(pid_t pid) {
    std::vector<pid_t> all = children_of(pid);
    for (std::size_t i = 0; i < all.size(); ++i)
        for (pid_t k : children_of(all[i]))
            all.push_back(k);
    return all;
}

}  // namespace billion::testkit
