// Plumbing of the multi-process strategies: forking workers, framed messages over pipes,
// and shipping a worker's stats back to the parent.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "client/processes/fd_io.hpp"
#include "client/stats.hpp"

namespace billion::client {

// Forks; the child runs body and exits with its result without returning here. The child
// dies with the thread that forked it (PR_SET_PDEATHSIG: SIGKILL), so a parent that is
// killed leaves no orphan behind; it exits at once if the parent was already gone.
pid_t spawn(const std::function<int()>& body);
// In a spawned child: replaces it with program (a path, or a name looked up in PATH) and
// args (args[0] included); returns 127 only when that fails.
int exec_args(const std::string& program, std::vector<std::string> args);
// In a worker process: Ctrl-C and SIGTERM/SIGHUP are the parent's to handle (it tells the
// workers through a SharedFlag), so a signal sent to the whole group counts once.
void leave_stops_to_parent();

// A flag in memory shared with every process forked after it was made: one stop request
// reaches the parent and its worker processes alike.
class SharedFlag {
public:
    SharedFlag();
    ~SharedFlag();
    SharedFlag(const SharedFlag&) = delete;
    SharedFlag& operator=(const SharedFlag&) = delete;
    std::atomic<bool>& get() { return *flag_; }

private:
    std::atomic<bool>* flag_;
};
// Waits for a child; true when it exited with status 0.
bool reap(pid_t pid);
// Waits for a spawned child (EINTR retried) and forgets it; its wait status.
int wait_child(pid_t pid);
// A child waited for another way (waitpid WNOHANG): forgotten, so quit_now never signals a
// process that may reuse its number.
void forget_child(pid_t pid);
// A directory to remove if the process quits at once (a cluster job's Open MPI files); one
// at a time, "" for none.
void remove_on_quit(const std::string& dir);
// A second Ctrl-C: every child spawned and not yet waited for is killed and reaped (none is
// left running, or a zombie under a PID 1 that does not reap), the directory above removed,
// then _exit(status). Async-signal-safe: called from a signal handler.
[[noreturn]] void quit_now(int status) noexcept;

// A pipe in packet mode (O_DIRECT): each write up to PIPE_BUF bytes is read back whole by
// exactly one reader, so several workers can pull tasks from one pipe.
void packet_pipe(int fds[2]);
void plain_pipe(int fds[2]);
constexpr std::size_t kPacketMax = 4096;  // PIPE_BUF on Linux

// A framed message: [u32 size][u8 type][payload]. A size over kMaxMessageBytes is a broken
// pipe's garbage, not a message: refused before anything is allocated.
inline constexpr std::uint32_t kMaxMessageBytes = 64u << 20;
struct Message {
    std::uint8_t type = 0;
    std::string payload;
};
bool send_message(int fd, std::uint8_t type, std::string_view payload);
// False at end of file or on a broken frame.
bool recv_message(int fd, Message& m);

// This process's peak resident set (VmHWM), in KiB.
std::uint64_t own_peak_rss_kb();
// Starts this process's peak afresh: each run of a compare measures its own.
void reset_own_peak_rss();
// A worker process's peak, into the stats it sends back (largest and sum, see WorkerStats).
void record_own_peak_rss(WorkerStats& stats);

std::string_view as_bytes(const WorkerStats& s);
bool from_bytes(std::string_view bytes, WorkerStats& s);

}  // namespace billion::client
