// The peers end to end: the talk's Python programs as verified rows, on the embedded server
// and on one written from docs/API.md alone; their failures, a missing library, and a stop.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "harness/run/peers.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

namespace fs = std::filesystem;

namespace {

using billion::testkit::run_billion;

// The processes whose command line holds text (this test's own server URL, say).
std::size_t processes_with(const std::string& text) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::ifstream f(e.path() / "cmdline");
        std::string cmd((std::istreambuf_iterator<char>(f)), {});
        n += cmd.find(text) != std::string::npos && e.path().filename() != "self";
    }
    return n;
}

}  // namespace

TEST(Peers, PythonNamesTheTalksFiveProgramsInItsOrder) {
    EXPECT_EQ(billion::harness::expand_peers({"curl", "python"}),
              (std::vector<std::string>{"curl", "python-sync", "python-threads", "python-processes", "python-asyncio",
                                        "python-combo"}));
    for (const auto& name : billion::harness::kPythonPeers)
        EXPECT_NE(billion::harness::find_peer(name), nullptr) << name;
}

TEST(Peers, AMissingPythonLibraryIsNamedWithItsPackage) {
    billion::testkit::TempDir scratch("peers-nolib");
    std::ofstream(scratch.path() / "requests.py") << "raise ModuleNotFoundError(\"No module named 'requests'\", "
                                                     "name='requests')\n";
    auto r = run_billion("compare --strategies sync --files 100 --peers python-sync",
                         "PYTHONPATH=" + scratch.path().string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("python-sync not found (scripts/setup installs python3-requests and python3-aiohttp)"),
              std::string::npos)
        << r.out;
}

// A stop reaches the program and every process it started, though they run in a process
// group of their own; billion still prints what it measured.
TEST(Peers, CtrlCStopsAPythonProgramAndItsWorkers) {
    billion::testkit::MockServer server([] {
        auto o = billion::testkit::catalog_of(100000, 1000);
        o.latency = std::chrono::milliseconds(1);
        return o;
    }());
    const std::string url = server.endpoint().url();
    billion::testkit::TempDir scratch("peers-stop");
    const auto json = (scratch.path() / "run.json").string();
    for (const std::string peer : {"python-processes", "python-combo"}) {
        billion::testkit::Billion b(
            {"compare", "--strategies", "none", "--peers", peer, "--processes", "2", "--url", url, "--json", json});
        ASSERT_TRUE(b.wait_for(peer + ": running")) << b.err();
        ASSERT_TRUE(b.wait_until([&] { return processes_with(url) >= 3; })) << "main and two workers";
        b.signal(SIGINT);  // billion alone: it passes the stop on
        EXPECT_EQ(b.finish(), 130) << b.err();
        EXPECT_NE(b.out().find(peer), std::string::npos) << b.out();
        EXPECT_TRUE(nlohmann::json::parse(std::ifstream(json))["runs"][0]["interrupted"].get<bool>());
        EXPECT_TRUE(b.wait_until([&] { return processes_with(url) == 0; }, std::chrono::seconds(10))) << peer;
    }
}

// billion talk --python: the talk's programs beside the model, the model's error against
// them, and the talk's lessons judged for Python too.
TEST(Peers, TalkWithPythonPutsThePythonColumnBesideTheModel) {
    billion::testkit::TempDir scratch("peers-talk");
    const auto json_path = (scratch.path() / "talk.json").string();
    auto r = run_billion("talk --python --files 200 --repeat 2 --json " + json_path);
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("Python here: per request"), std::string::npos) << r.out;
    std::istringstream lines(r.out);
    int lessons = 0, errors = 0;
    for (std::string line; std::getline(lines, line);) {
        lessons += line.starts_with("Python here: as in the talk") || line.starts_with("Python here: unlike") ||
                   line.starts_with("Python here: too close to call");
        // "  sync: the model 3.13 ms, Python 0.58 ms a file: +443 %; ..." and why when past 25 %.
        if (line.find(": the model ") != std::string::npos && line.find(", Python ") != std::string::npos) {
            ++errors;
            EXPECT_TRUE(line.find("within the goal") != std::string::npos ||
                        line.find("ms of CPU a file (all its processes)") != std::string::npos)
                << line;
        }
    }
    EXPECT_EQ(lessons, 4) << r.out;
    EXPECT_EQ(errors, 5) << r.out;
    auto j = nlohmann::json::parse(std::ifstream(json_path));
    EXPECT_TRUE(j["settings"]["talk_model"]["python"].get<bool>());
    std::set<std::string> python;
    for (const auto& run : j["runs"])
        if (run["strategy"].get<std::string>().starts_with("python-")) {
            python.insert(run["strategy"].get<std::string>());
            EXPECT_TRUE(run["verification"]["ok"].get<bool>()) << run["strategy"];
            EXPECT_EQ(run["client_cpu_per_request_us"], 0) << "real Python, no model";
        }
    EXPECT_EQ(python.size(), 5u);
}
