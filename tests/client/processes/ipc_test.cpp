// Worker-process plumbing: children die with their parent, start their own memory peak, and
// see a shared stop flag.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "client/processes/ipc.hpp"
#include "tests/support/eventually.hpp"

using namespace billion::client;

TEST(Ipc, AWorkerStartsItsOwnPeakMemory) {
    // The parent peaks high first (as an earlier strategy of the same compare may have).
    {
        std::vector<char> big(256u << 20);
        std::memset(big.data(), 1, big.size());
        ASSERT_GT(own_peak_rss_kb(), 200u * 1024);
    }
    int report[2];
    plain_pipe(report);
    pid_t pid = spawn([&] {
        reset_own_peak_rss();
        WorkerStats s;
        record_own_peak_rss(s);
        return send_message(report[1], 'S', as_bytes(s)) ? 0 : 1;
    });
    ::close(report[1]);
    Message m;
    WorkerStats s;
    ASSERT_TRUE(recv_message(report[0], m));
    ASSERT_TRUE(from_bytes(m.payload, s));
    ::close(report[0]);
    EXPECT_TRUE(reap(pid));
    EXPECT_LT(s.peak_rss_kb, 100u * 1024) << "the worker's peak carried over from its parent";
    EXPECT_EQ(s.peak_rss_sum_kb, s.peak_rss_kb);
    // The next run in the parent measures its own peak too, not the earlier one's.
    reset_own_peak_rss();
    EXPECT_LT(own_peak_rss_kb(), 100u * 1024);
}

TEST(Ipc, ASharedFlagReachesAWorkerProcess) {
    SharedFlag flag;
    pid_t pid = spawn([&] {
        return billion::testkit::eventually([&] { return flag.get().load(); }, std::chrono::seconds(5)) ? 0 : 1;
    });
    flag.get() = true;
    EXPECT_TRUE(reap(pid));
}

TEST(Ipc, AWorkerDiesWithItsParent) {
    // A middle process forks a worker that would sleep for a minute, tells us its pid, then is
    // killed: the worker must go with it.
    int pids[2];
    plain_pipe(pids);
    pid_t middle = ::fork();
    if (middle == 0) {
        pid_t worker = spawn([] {
            ::sleep(60);
            return 0;
        });
        write_all(pids[1], std::string_view(reinterpret_cast<const char*>(&worker), sizeof worker));
        ::pause();
        ::_exit(0);
    }
    ::close(pids[1]);
    pid_t worker = 0;
    ASSERT_TRUE(read_exact(pids[0], &worker, sizeof worker));
    ::close(pids[0]);
    ::kill(middle, SIGKILL);
    ::waitpid(middle, nullptr, 0);
    // Gone, or a zombie waiting for a reaper: either way it no longer runs.
    const bool gone = billion::testkit::eventually(
        [worker] {
            char path[64];
            std::snprintf(path, sizeof path, "/proc/%d/stat", worker);
            FILE* f = std::fopen(path, "r");
            if (!f) return true;
            char buf[512] = {};
            std::fread(buf, 1, sizeof buf - 1, f);
            std::fclose(f);
            const char* paren = std::strrchr(buf, ')');
            return paren && (paren[2] == 'Z' || paren[2] == 'X');
        },
        std::chrono::seconds(5));
    EXPECT_TRUE(gone) << "worker " << worker << " outlived its parent";
    if (!gone) ::kill(worker, SIGKILL);
}
