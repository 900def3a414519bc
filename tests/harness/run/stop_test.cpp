// Every way a run can be stopped leaves its output directory resumable and no process behind:
// Ctrl-C once, Ctrl-C twice, SIGTERM to the whole group (as `timeout` sends it), SIGKILL, and
// SIGHUP (a closed terminal). Each is followed by --resume, which must end with every file
// exactly once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/child_process.hpp"
#include "tests/support/digests.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/jobs.hpp"
#include "tests/support/test_server.hpp"

namespace fs = std::filesystem;
using billion::testkit::Billion;

namespace {

enum class Stop { sigint_once, sigint_twice, sigterm_group, sigkill, sighup };

struct StopCase {
    Stop how;
    const char* name;
    const char* strategy;  // each strategy is stopped one way per sink
    const char* sink = "files";
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
        ++n;
    return n;
}

class Stopped : public ::testing::TestWithParam<StopCase> {};

}  // namespace

TEST_P(Stopped, LeavesAResumableDirectoryAndNoProcessBehind) {
    const StopCase c = GetParam();
    billion::testkit::TempDir dir(std::string("stop-") + c.name + "-" + c.sink);
    const fs::path base = dir.path();
    const std::string out = (base / "out").string(), json = (base / "run.json").string();
    const std::vector<std::string> common = {"compare", "--strategies",  c.strategy, "--files",     "10k", "--sink",
                                             c.sink,    "--out",         out,        "--processes", "2",   "--workers",
                                             "4",       "--concurrency", "8",        "--ranks",     "2"};
    auto slow = common;
    for (const char* a : {"--latency", "1ms", "--json"})
        slow.push_back(a);
    slow.push_back(json);

    Billion b(slow);
    ASSERT_TRUE(b.wait_for(std::string(c.strategy) + ": running")) << b.err();
    std::smatch m;
    ASSERT_TRUE(std::regex_search(b.err(), m, std::regex("embedded server \\(pid ([0-9]+)\\)"))) << b.err();
    const pid_t server = std::stoi(m[1]);
    // Files are landing (10,000 at 1 ms take seconds): the server has served some.
    const std::string url = billion::testkit::embedded_url(b.err());
    ASSERT_TRUE(b.wait_until([&] { return billion::testkit::files_served(url) >= 200; })) << b.err();
    std::vector<pid_t> family = billion::testkit::descendants_of(b.pid());
    family.push_back(server);
    if (std::string(c.strategy) == "cluster") {
        EXPECT_GE(family.size(), 1u + 1 + 3) << "server, mpirun, 3 ranks";
    }

    switch (c.how) {
        case Stop::sigint_once: b.signal(SIGINT); break;
        case Stop::sigint_twice:
            b.signal(SIGINT);
            EXPECT_TRUE(b.stop_again(SIGINT)) << b.err();
            break;
        case Stop::sigterm_group:  // what `timeout` does: the child, then its whole group
            b.signal(SIGTERM);
            b.signal_group(SIGTERM);
            break;
        case Stop::sigkill: b.signal(SIGKILL); break;
        case Stop::sighup: b.signal(SIGHUP); break;
    }
    const int rc = b.finish();
    if (c.how == Stop::sigkill) {
        EXPECT_EQ(rc, 128 + SIGKILL);
    } else {
        EXPECT_EQ(rc, 130) << b.err();
    }
    if (c.how != Stop::sigkill && c.how != Stop::sigint_twice) {
        // A graceful stop: one "stopping" however many processes got the signal, the table and the JSON.
        EXPECT_EQ(count(b.err(), "billion: stopping"), 1u) << b.err();
        EXPECT_NE(b.out().find(c.strategy), std::string::npos) << b.out();
        auto j = nlohmann::json::parse(std::ifstream(json));
        EXPECT_TRUE(j["runs"][0]["interrupted"].get<bool>());
    }
    EXPECT_TRUE(fs::exists(out + "/" + c.strategy + ".checkpoint.json")) << b.err();

    // No orphan: the embedded server and every worker process ended with the client.
    billion::testkit::eventually(
        [&] {
            return std::all_of(family.begin(), family.end(), [](pid_t p) { return billion::testkit::process_ended(p); });
        },
        std::chrono::seconds(5));
    for (pid_t p : family)
        EXPECT_TRUE(billion::testkit::process_ended(p)) << "process " << p << " outlived billion";

    // The same command (without the injected latency) and --resume ends with every file once.
    auto resume = common;
    resume.push_back("--resume");
    Billion r(resume);
    EXPECT_EQ(r.finish(), 0) << r.err();
    EXPECT_NE(r.err().find("resuming at page"), std::string::npos) << r.err();
    EXPECT_EQ(billion::testkit::files_under(out + "/" + c.strategy, c.sink), 10000u);
    EXPECT_FALSE(fs::exists(out + "/" + c.strategy + ".checkpoint.json"));
}

INSTANTIATE_TEST_SUITE_P(EveryWay, Stopped,
                         ::testing::Values(StopCase{Stop::sigint_once, "sigint_once", "threads"},
                                           StopCase{Stop::sigint_twice, "sigint_twice", "async"},
                                           StopCase{Stop::sigterm_group, "sigterm_group", "processes"},
                                           StopCase{Stop::sigkill, "sigkill", "combo"},
                                           StopCase{Stop::sighup, "sighup", "sync"},
                                           // The sqlite sink: each strategy stopped another way.
                                           StopCase{Stop::sigkill, "sigkill", "threads", "sqlite"},
                                           StopCase{Stop::sighup, "sighup", "async", "sqlite"},
                                           StopCase{Stop::sigint_twice, "sigint_twice", "processes", "sqlite"},
                                           StopCase{Stop::sigterm_group, "sigterm_group", "combo", "sqlite"},
                                           StopCase{Stop::sigint_once, "sigint_once", "sync", "sqlite"},
                                           // cluster: its ranks hear the stop through mpirun, or die with it.
                                           StopCase{Stop::sigint_once, "sigint_once", "cluster"},
                                           StopCase{Stop::sigkill, "sigkill", "cluster", "sqlite"},
                                           StopCase{Stop::sigterm_group, "sigterm_group", "cluster", "sqlite"},
                                           StopCase{Stop::sigint_twice, "sigint_twice", "combo"},
                                           StopCase{Stop::sigint_twice, "sigint_twice", "cluster"}),
                         [](const auto& info) {
                             return std::string(info.param.name) + "_" + info.param.strategy + "_" + info.param.sink;
                         });

// A second Ctrl-C while requests are still in flight (a second of latency each) quits at
// once, yet tidily: every child it started (combo's workers, mpirun, the embedded server) is
// killed and reaped before it exits, so none is left a zombie under a PID 1 that may never
// reap it, and cluster's Open MPI files are removed, not left for the next cluster run.
class QuitAtOnce : public ::testing::TestWithParam<const char*> {};

TEST_P(QuitAtOnce, ReapsEveryChildAndLeavesNoOpenMpiFiles) {
    const std::string strategy = GetParam();
    Billion b({"compare", "--strategies", strategy, "--files", "10k", "--latency", "1s", "--processes", "2", "--ranks",
               "2", "--concurrency", "4"});
    ASSERT_TRUE(b.wait_for(strategy + ": running")) << b.err();
    const std::string url = billion::testkit::embedded_url(b.err());
    ASSERT_TRUE(b.wait_until([&] { return billion::testkit::files_served(url) >= 4; })) << b.err();
    const std::vector<pid_t> children = billion::testkit::children_of(b.pid());
    const std::string scratch = "billion-mpi-" + std::to_string(b.pid()) + "-";
    ASSERT_GE(children.size(), 2u) << "the server and a worker or mpirun";
    b.signal(SIGINT);
    EXPECT_TRUE(b.stop_again(SIGINT)) << b.err();
    EXPECT_EQ(b.finish(), 130) << b.err();
    for (pid_t p : children)
        EXPECT_FALSE(fs::exists("/proc/" + std::to_string(p))) << "child " << p << " was not reaped\n" << b.err();
    for (const auto& e : fs::directory_iterator(billion::testkit::fast_temp_root()))
        EXPECT_FALSE(e.path().filename().string().starts_with(scratch)) << e.path();
}

INSTANTIATE_TEST_SUITE_P(EventLoops, QuitAtOnce, ::testing::Values("combo", "cluster"));

TEST(Stopped, ARunStoppedBeforeItsFirstFileIsResumableToo) {
    billion::testkit::TempDir dir("stop-early");
    const std::string out = (dir.path() / "out").string();
    // A server that answers nothing: no file ever lands before the kill.
    Billion b({"compare", "--strategies", "sync", "--files", "300", "--hostile", "stall", "--read-timeout", "5s",
               "--sink", "files", "--out", out});
    ASSERT_TRUE(b.wait_for("sync: running")) << b.err();
    b.signal(SIGKILL);
    b.finish();
    EXPECT_TRUE(fs::exists(out + "/sync.checkpoint.json"));
    // Without --resume the directory is refused, and the message says how to go on.
    Billion again({"compare", "--strategies", "sync", "--files", "300", "--sink", "files", "--out", out});
    EXPECT_EQ(again.finish(), 2);
    EXPECT_NE(again.err().find("add --resume"), std::string::npos) << again.err();
    Billion r({"compare", "--strategies", "sync", "--files", "300", "--sink", "files", "--out", out, "--resume"});
    EXPECT_EQ(r.finish(), 0) << r.err();
    EXPECT_EQ(billion::testkit::files_under(out + "/sync"), 300u);
}

namespace {
std::uint64_t gets_served(billion::testkit::MockServer& server) {
    return nlohmann::json::parse(server.server().stats_json())["requests"]["get"].get<std::uint64_t>();
}
class NoRequestAfterStop : public ::testing::TestWithParam<std::string> {};
}  // namespace

// After Ctrl-C no strategy starts a GET: what is queued is dropped (the checkpoint knows it is
// missing), only the requests in flight finish. With a second of latency every request in
// flight waits for its answer; once the server holds a strategy's whole first wave (its
// requests in flight with these knobs: one connection, 8 threads, 2 processes, 8 coroutines
// of the one loop that has a page; the second page is still being listed) none is about to
// start, so the server's count then is what was in flight at the signal.
TEST_P(NoRequestAfterStop, OnlyTheRequestsInFlightFinish) {
    const std::map<std::string, std::uint64_t> first_wave = {{"sync", 1},  {"threads", 8}, {"processes", 2},
                                                             {"async", 8}, {"combo", 8},   {"cluster", 8}};
    auto o = billion::testkit::catalog_of(3000, 500);
    o.latency = std::chrono::seconds(1);
    billion::testkit::MockServer server(o);
    Billion b({"compare", "--strategies", GetParam(), "--url", server.endpoint().url(), "--processes", "2", "--workers",
               "8", "--concurrency", "8", "--ranks", "2", "--batch", "4"});
    ASSERT_TRUE(b.wait_for(GetParam() + ": running")) << b.err();
    const std::uint64_t wave = first_wave.at(GetParam());
    billion::testkit::eventually([&] { return gets_served(server) >= wave; });
    const auto at_signal = gets_served(server);
    ASSERT_EQ(at_signal, wave) << b.err();
    b.signal(SIGINT);
    EXPECT_EQ(b.finish(), 130) << b.err();
    EXPECT_EQ(gets_served(server), at_signal) << "GETs started after the stop\n" << b.err();
}

INSTANTIATE_TEST_SUITE_P(EveryStrategy, NoRequestAfterStop, ::testing::ValuesIn(billion::testkit::strategy_names()),
                         [](const auto& i) { return i.param; });
