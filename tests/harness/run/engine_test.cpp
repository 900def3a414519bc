// The run engine in this process (harness/run/session.hpp): cells run against a mock server
// in the test (Server::attached, through Session::start_server) and, where the test needs a
// run to go wrong, a fake strategy. Repetitions, spreads, exit statuses, kept files and what a
// session prints and writes, without starting the binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "client/sinks/sink.hpp"
#include "harness/common/exit_codes.hpp"
#include "harness/run/peers.hpp"
#include "harness/run/server.hpp"
#include "harness/run/session.hpp"
#include "harness/run/checkpoint.hpp"
#include "strategies/strategy.hpp"
#include "tests/support/jobs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

namespace fs = std::filesystem;
using namespace billion;
using harness::kExitInterrupted;
using harness::kExitOk;
using harness::kExitUnverified;
using harness::kExitUsage;

namespace {

// What the fake strategy does to the sync strategy's result: a strategy is a plain function,
// so the test says it here before the session runs.
enum class Twist { none, interrupted, nothing_received };
Twist g_twist = Twist::none;

strategies::Result fake_run(const strategies::Job& job) {
    auto r = strategies::run_sync(job);
    if (g_twist == Twist::interrupted) r.interrupted = true;
    if (g_twist == Twist::nothing_received) r.stats.received = {};
    return r;
}

const strategies::Strategy kFake{.name = "fake", .model = "sync, then the test's twist", .run = fake_run};

// A session of one cell a strategy ("fake" or a real one) over `files` files, against a mock
// server started in this process for it, writing its JSON in a temporary directory.
struct Engine {
    testkit::TempDir dir{"engine"};
    harness::Session s;

    Engine(const std::vector<std::string>& names, std::uint64_t files, std::uint32_t page_size = 1000) {
        g_twist = Twist::none;
        for (const auto& name : names) {
            harness::Cell c;
            c.strategy = name == "fake" ? &kFake : strategies::find(name);
            if (!c.strategy) c.strategy = harness::find_peer(name);  // aria2c, curl, python-*
            c.server = testkit::catalog_of(files, page_size);
            c.dir_name = name;
            s.cells.push_back(c);
        }
        s.run.pm_qos = false;
        s.run.json_path = (dir.path() / "run.json").string();
        s.settings = nlohmann::json::object();
        s.start_server = [](const mock::ServerConfig& o) -> harness::Expected<std::unique_ptr<harness::Server>> {
            auto mock = std::make_shared<testkit::MockServer>(o);
            return harness::Server::attached(mock->endpoint(), o, mock);
        };
    }
    // Against a server the test started elsewhere, as --url: no catalog to check against, one
    // run a row.
    void use_url(const std::string& url) {
        s.url = url;
        s.start_server = nullptr;
    }
    // Runs the session; its exit status, with what it printed kept.
    int run() {
        testing::internal::CaptureStdout();
        testing::internal::CaptureStderr();
        const int rc = harness::run_session(s);
        out = testing::internal::GetCapturedStdout();
        err = testing::internal::GetCapturedStderr();
        return rc;
    }
    nlohmann::json json() const { return nlohmann::json::parse(std::ifstream(s.run.json_path)); }
    std::string out, err;
};

std::size_t files_under(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        n += e.is_regular_file();
    return n;
}

}  // namespace

TEST(Engine, AFixedRepeatIsAWarmUpThenExactlyThatManyCountedRuns) {
    Engine e({"fake"}, 500);
    e.s.run.repeats.repeat = 3;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    const auto j = e.json();
    ASSERT_EQ(j["runs"].size(), 4u);
    EXPECT_TRUE(j["runs"][0]["warmup"].get<bool>());
    for (std::size_t i = 1; i < 4; ++i)
        EXPECT_FALSE(j["runs"][i]["warmup"].get<bool>());
    EXPECT_EQ(j["summary"][0]["runs"], 3);
    EXPECT_TRUE(j["verified"].get<bool>());
}

// By default a row repeats (after a short warm-up) until its median is known: at least 5
// counted runs, or the budget spent; the summary counts exactly the counted ones.
TEST(Engine, AutoRepeatsUntilTheMedianIsKnown) {
    Engine e({"sync", "async"}, 3000);
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.out.find("approach"), std::string::npos) << e.out;
    const auto j = e.json();
    EXPECT_EQ(j["settings"]["repeat"], "auto");
    ASSERT_EQ(j["summary"].size(), 2u);
    std::map<std::string, std::size_t> counted;
    for (const auto& run : j["runs"]) {
        EXPECT_EQ(run["files"], 3000);
        EXPECT_EQ(run["server"]["get_ok"], 3000);
        if (!run["warmup"].get<bool>()) ++counted[run["strategy"].get<std::string>()];
    }
    EXPECT_TRUE(j["runs"][0]["warmup"].get<bool>());
    for (const auto& row : j["summary"]) {
        EXPECT_EQ(row["runs"], counted[row["strategy"].get<std::string>()]);
        EXPECT_GE(row["runs"].get<int>(), 5) << row;
        EXPECT_GT(row["per_request_ms"]["confidence"].get<double>(), 0.9);
    }
}

// --spread: the counted runs start evenly over the time given (the warm-up before them), and
// the conditions line and the JSON say so; fewer than two counted runs are refused.
TEST(Engine, SpreadRunsSayOverWhatTime) {
    Engine e({"fake"}, 1000);
    e.s.run.repeats.repeat = 3;
    e.s.run.repeats.spread = std::chrono::milliseconds(200);
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.err.find("fake: 3 runs spread over 200ms, one every 100ms (--spread)"), std::string::npos) << e.err;
    EXPECT_NE(e.out.find("each row's 3 runs spread over 200ms"), std::string::npos) << e.out;
    const auto j = e.json();
    EXPECT_DOUBLE_EQ(j["settings"]["spread_s"].get<double>(), 0.2);
    EXPECT_EQ(j["summary"][0]["runs"], 3);

    Engine once({"fake"}, 10);
    once.s.run.repeats.repeat = 1;
    once.s.run.repeats.spread = std::chrono::seconds(1);
    EXPECT_EQ(once.run(), kExitUsage);
    EXPECT_NE(once.err.find("--spread spreads a row's counted runs"), std::string::npos) << once.err;
    EXPECT_EQ(once.err.find("running"), std::string::npos) << once.err;
}

TEST(Engine, ARunCutShortIsInterruptedAndStillReported) {
    Engine e({"fake", "sync"}, 500);
    g_twist = Twist::interrupted;
    e.s.run.repeats.repeat = 3;
    e.s.run.repeats.warmup = false;
    EXPECT_EQ(e.run(), kExitInterrupted) << e.err;
    const auto j = e.json();
    ASSERT_EQ(j["runs"].size(), 4u) << "the run cut short ends its cell (more would say the same); the next runs";
    EXPECT_TRUE(j["runs"][0]["interrupted"].get<bool>());
    EXPECT_FALSE(j["runs"][1]["interrupted"].get<bool>());
    EXPECT_NE(e.out.find("fake"), std::string::npos) << "its row is printed";
}

TEST(Engine, AnUnverifiedRunFailsTheSessionAndSaysWhichCheck) {
    Engine e({"fake", "sync"}, 500);
    g_twist = Twist::nothing_received;
    e.s.run.repeats.repeat = 1;
    EXPECT_EQ(e.run(), kExitUnverified) << e.err;
    EXPECT_NE(e.err.find("fake: 500 files in"), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("NOT verified: failed check"), std::string::npos) << e.err;
    const auto j = e.json();
    EXPECT_FALSE(j["verified"].get<bool>());
    ASSERT_EQ(j["runs"].size(), 2u) << "the next cell still runs";
    EXPECT_TRUE(j["runs"][1]["verification"]["ok"].get<bool>());
}

TEST(Engine, AFilesRunKeepsItsFilesAndADirectoryInUseIsRefused) {
    Engine e({"threads"}, 500);
    const auto out = (e.dir.path() / "out").string();
    e.s.run.sink = client::SinkConfig::Kind::files;
    e.s.run.out = out;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_EQ(files_under(out + "/threads"), 500u);
    EXPECT_TRUE(fs::exists(out + "/threads.verified.json")) << "a --resume can tell the run ended verified";
    // Running again into the same directory would mix two runs: refused, nothing touched.
    EXPECT_EQ(e.run(), kExitUsage);
    EXPECT_NE(e.err.find("is not empty"), std::string::npos) << e.err;
    EXPECT_EQ(files_under(out + "/threads"), 500u);
}

TEST(Engine, PipelinedRowsAreVerifiedAndSaySo) {
    Engine e({"sync", "async", "combo"}, 5000);
    for (auto& c : e.s.cells) {
        c.knobs.pipeline = 8;
        c.knobs.processes = 2;
    }
    e.s.run.repeats.repeat = 1;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.out.find("; pipelines of 8 (async, combo, cluster);"), std::string::npos) << e.out;
    const auto j = e.json();
    ASSERT_EQ(j["runs"].size(), e.s.cells.size());
    for (const auto& run : j["runs"]) {
        EXPECT_TRUE(run["verification"]["ok"].get<bool>()) << run["strategy"];
        if (run["strategy"] == "sync")
            EXPECT_FALSE(run["knobs"].contains("pipeline")) << "sync does not pipeline";
        else
            EXPECT_EQ(run["knobs"]["pipeline"], 8) << run["strategy"];
    }
}

TEST(Engine, ARunTooSmallForItsModelSaysWhatToChange) {
    // Two processes and one page of 1,000: one of them has nothing to do.
    Engine small({"combo"}, 1000);
    small.s.cells[0].knobs.processes = 2;
    small.s.run.repeats.repeat = 1;
    ASSERT_EQ(small.run(), kExitOk) << small.err;
    EXPECT_NE(small.err.find("too small to show its model"), std::string::npos) << small.err;
    EXPECT_NE(small.err.find("--page-size 100"), std::string::npos) << small.err;
    Engine enough({"combo"}, 1000, 100);
    enough.s.cells[0].knobs.processes = 2;
    enough.s.run.repeats.repeat = 1;
    ASSERT_EQ(enough.run(), kExitOk) << enough.err;
    EXPECT_EQ(enough.err.find("too small"), std::string::npos) << enough.err;
}

TEST(Engine, EveryStrategyDownloadsFromAnIndependentServer) {
    testkit::IndependentServer server(300, 11);
    Engine e({"sync", "threads", "processes", "async", "combo"}, 0);
    e.use_url(server.url());
    for (auto& c : e.s.cells) {
        c.knobs.processes = 2;
        c.knobs.concurrency = 8;
    }
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    const auto j = e.json();
    ASSERT_EQ(j["runs"].size(), e.s.cells.size());
    for (const auto& run : j["runs"]) {
        EXPECT_EQ(run["files"], 300) << run["strategy"];
        EXPECT_TRUE(run["verification"]["ok"].get<bool>()) << run["strategy"];
    }
}

TEST(Engine, AServerThatSendsFilesOfTheWrongSizeIsNeverVerified) {
    auto o = testkit::catalog_of(400, 100);
    o.hostile = mock::Hostile::wrong_size;
    testkit::MockServer server(o);
    Engine e({"sync", "async"}, 0);
    e.use_url(server.endpoint().url());
    EXPECT_EQ(e.run(), kExitUnverified) << e.err;
    EXPECT_NE(e.err.find("wrong size: 99 bytes, expected 100"), std::string::npos) << e.err;
    EXPECT_EQ(e.err.find(": 400 files"), std::string::npos) << e.err;
    // Told the server's real size, every file of that size passes and the others fail.
    auto big = testkit::catalog_of(100, 100);
    big.catalog.file_size = 333;
    testkit::MockServer other(big);
    Engine told({"sync"}, 0);
    told.use_url(other.endpoint().url());
    EXPECT_EQ(told.run(), kExitUnverified) << told.err;
    told.s.client.file_size = 333;
    EXPECT_EQ(told.run(), kExitOk) << told.err;
}

// Names wider than the contract (--names any) are downloaded, verified, and each file stored
// under its exact name; under the contract's rule they are refused.
TEST(Engine, NamesAnyStoresWideNamesExactly) {
    const std::vector<std::string> names = {"sp ace.txt", "q?mark", "hash#tag", "pct%41", "uni-\xc3\xa9", "plus+sign"};
    testkit::IndependentServer server(names, 4);
    Engine e({"async"}, 0);
    e.use_url(server.url());
    const auto out = e.dir.path() / "out";
    e.s.client.names = client::NameRule::any;
    e.s.run.sink = client::SinkConfig::Kind::files;
    e.s.run.out = out.string();
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    std::set<std::string> stored;
    for (const auto& f : fs::recursive_directory_iterator(out / "async"))
        if (f.is_regular_file()) stored.insert(f.path().filename().string());
    EXPECT_EQ(stored, std::set<std::string>(names.begin(), names.end()));
    Engine refused({"async"}, 0);
    refused.use_url(server.url());
    EXPECT_EQ(refused.run(), kExitUnverified) << refused.err;
    EXPECT_NE(refused.err.find("invalid file name"), std::string::npos) << refused.err;
}

// --max-time: every strategy stops listing at the cap, finishes the pages it listed, and its
// row is a verified prefix of the catalog marked "capped"; --resume then completes the run.
class Capped : public ::testing::TestWithParam<std::string> {};

TEST_P(Capped, IsAVerifiedPrefixAndResumable) {
    const std::string strategy = GetParam();
    Engine e({strategy}, 4000, 100);
    const auto out = (e.dir.path() / "out").string();
    auto& cell = e.s.cells[0];
    cell.knobs.processes = 2;
    cell.knobs.workers = 4;
    cell.knobs.concurrency = 4;
    cell.knobs.ranks = 2;
    e.s.run.sink = client::SinkConfig::Kind::files;
    e.s.run.out = out;
    // 4,000 files at 2 ms, 4 in flight at most, take about 2 s or more: a 300 ms cap cuts it.
    cell.server.latency = std::chrono::milliseconds(2);
    e.s.run.max_time = std::chrono::milliseconds(300);
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.out.find("yes, capped"), std::string::npos) << e.out;
    const auto run = e.json()["runs"][0];
    EXPECT_TRUE(run["capped"].get<bool>());
    EXPECT_TRUE(run["verification"]["ok"].get<bool>()) << run["verification"].dump();
    const auto files = run["files"].get<std::uint64_t>();
    EXPECT_GT(files, 0u);
    EXPECT_LT(files, 4000u);
    EXPECT_EQ(files % 100, 0u) << "whole pages only";
    EXPECT_EQ(files_under(out + "/" + strategy), files);
    EXPECT_TRUE(fs::exists(out + "/" + strategy + ".checkpoint.json"));

    cell.server.latency = {};
    e.s.run.max_time = {};
    e.s.resume = true;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_EQ(files_under(out + "/" + strategy), 4000u);
    EXPECT_FALSE(fs::exists(out + "/" + strategy + ".checkpoint.json"));
}

INSTANTIATE_TEST_SUITE_P(EveryStrategy, Capped, ::testing::ValuesIn(testkit::strategy_names()),
                         [](const auto& info) { return info.param; });

// A name the server lists again on a later page is caught by every strategy, with every sink:
// the run fails verification, nothing is stored twice.
TEST(Engine, ANameListedAgainOnALaterPageFailsTheRunWithEverySink) {
    std::vector<std::string> names;
    for (int i = 0; i < 410; ++i)
        names.push_back(std::to_string(i % 400).append(".bin"));  // page 1's first ten again on the last page
    testkit::IndependentServer server(names, 50);
    const std::vector<std::string> all = {"sync", "threads", "processes", "async", "combo", "cluster"};
    for (const auto sink : {client::SinkConfig::Kind::null, client::SinkConfig::Kind::files,
                            client::SinkConfig::Kind::sqlite}) {
        Engine e(all, 0);
        e.use_url(server.url());
        for (auto& c : e.s.cells)
            c.knobs = {.workers = 4, .processes = 2, .concurrency = 4, .ranks = 2};
        e.s.run.sink = sink;
        if (sink != client::SinkConfig::Kind::null) e.s.run.out = (e.dir.path() / "out").string();
        EXPECT_EQ(e.run(), kExitUnverified) << e.err;
        std::size_t caught = 0;
        for (auto at = e.err.find("NOT verified"); at != std::string::npos; at = e.err.find("NOT verified", at + 1))
            ++caught;
        EXPECT_EQ(caught, all.size()) << e.err;
    }
}

// A server whose /stats never finishes its answer: read once (not before and after), within
// the read timeout, and the time it took is inside the run's reported wall, not hidden.
TEST(Engine, AStallingStatsIsReadOnceWithinTheReadTimeoutAndCountsInTheWall) {
    testkit::IndependentServer server(std::vector<std::string>{"a.bin", "b.bin", "c.bin"}, 2, true);
    Engine e({"sync"}, 0);
    e.use_url(server.url());
    e.s.client.read_timeout = std::chrono::milliseconds(300);
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_EQ(server.stats_asked(), 1) << e.err;
    // No steady rate without /stats: said so, not "use more files" (more would not help).
    EXPECT_NE(e.out.find("* the server has no /stats to sample a steady rate from"), std::string::npos) << e.out;
    EXPECT_EQ(e.out.find("use more files"), std::string::npos) << e.out;
    const auto run = e.json()["runs"][0];
    EXPECT_GE(run["wall_s"].get<double>(), 0.3) << run.dump();
}

// cluster pays mpirun's start before its first file: a start-up apart from the steady
// per-file time, and wall = start-up + files x per file.
TEST(Engine, ARowsPerFileTimeIsItsSteadyRateWithTheStartUpApart) {
    Engine e({"cluster"}, 50000);
    e.s.cells[0].knobs.ranks = 2;
    e.s.run.repeats.repeat = 1;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    const auto run = e.json()["runs"][0];
    ASSERT_TRUE(run["steady"]["measured"].get<bool>()) << run["steady"];
    EXPECT_GE(run["steady"]["samples"].get<int>(), 8);
    EXPECT_GT(run["startup_s"].get<double>(), 0);
    EXPECT_LT(run["per_request_ms"].get<double>(), run["per_request_overall_ms"].get<double>());
    const double files = run["files"].get<double>();
    EXPECT_NEAR(run["startup_s"].get<double>() + files * run["per_request_ms"].get<double>() / 1e3,
                run["wall_s"].get<double>(), 1e-6);
    EXPECT_NEAR(run["projected_1e9"]["seconds"].get<double>(),
                run["startup_s"].get<double>() + 1e9 * run["per_request_ms"].get<double>() / 1e3, 1e-3);
}

TEST(Engine, AnUnreachableServerFailsAtConnect) {
    Engine e({"sync"}, 0);
    e.use_url("http://127.0.0.1:1");
    e.s.client.max_attempts = 2;
    EXPECT_EQ(e.run(), kExitUnverified) << e.err;
    EXPECT_NE(e.err.find("connect"), std::string::npos) << e.err;
}

// The tools a user would pick instead (billion lists, they download): timed and verified rows.
TEST(Engine, PeersAreTimedAndVerifiedAsRows) {
    Engine e({"sync", "aria2c", "curl"}, 300);
    e.s.run.repeats.repeat = 1;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.err.find("aria2c: 300 files"), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("curl: 300 files"), std::string::npos) << e.err;
}

// The talk's five programs in Python, each a verified row of the programs' own requests.
TEST(Engine, ThePythonProgramsAreFiveVerifiedRowsInTheJson) {
    std::vector<std::string> names = {"async"};
    names.insert(names.end(), harness::kPythonPeers.begin(), harness::kPythonPeers.end());
    Engine e(names, 2000);
    for (auto& c : e.s.cells)
        c.knobs.processes = 2;
    e.s.run.repeats.repeat = 1;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    std::set<std::string> rows;
    const auto j = e.json();
    ASSERT_EQ(j["runs"].size(), e.s.cells.size());
    for (const auto& run : j["runs"]) {
        EXPECT_EQ(run["files"], 2000) << run["strategy"];
        EXPECT_TRUE(run["verification"]["ok"].get<bool>()) << run["strategy"];
        EXPECT_EQ(run["server"]["get_ok"], 2000) << run["strategy"];
        EXPECT_EQ(run["requests"], 2002) << run["strategy"];  // two pages and every file: the program's only
        rows.insert(run["strategy"].get<std::string>());
    }
    EXPECT_EQ(rows, (std::set<std::string>(names.begin(), names.end())));
}

// Percent-encoded opaque tokens, an empty page, odd page sizes, other names.
TEST(Engine, ThePythonProgramsWalkAServerWrittenFromTheContract) {
    testkit::IndependentServer server(300, 11);
    std::vector<std::string> names = {"sync"};
    names.insert(names.end(), harness::kPythonPeers.begin(), harness::kPythonPeers.end());
    Engine e(names, 0);
    e.use_url(server.url());
    for (auto& c : e.s.cells) {
        c.knobs.processes = 2;
        c.knobs.concurrency = 8;
    }
    EXPECT_EQ(e.run(), kExitOk) << e.err;
}

TEST(Engine, APythonProgramThatFailsIsCountedAndNeverVerified) {
    auto o = testkit::catalog_of(300, 100);
    o.hostile = mock::Hostile::bad_names;
    testkit::MockServer server(o);
    for (const std::string peer : {"python-sync", "python-asyncio"}) {
        Engine e({"sync", peer}, 0);
        e.use_url(server.endpoint().url());
        EXPECT_EQ(e.run(), kExitUnverified) << e.err;
        EXPECT_NE(e.err.find(peer + ": 9 failed (first: refused name '../escape.bin')"), std::string::npos) << e.err;
        EXPECT_NE(e.err.find(peer + " exited with status 1"), std::string::npos) << e.err;
    }
}

// Removes the files of run_dir named first or after: as if the run had stopped before them.
void remove_files_from(const fs::path& run_dir, const std::string& first) {
    std::vector<fs::path> later;
    for (const auto& f : fs::recursive_directory_iterator(run_dir))
        if (f.is_regular_file() && f.path().filename().string() >= first) later.push_back(f.path());
    for (const auto& f : later)
        fs::remove(f);
}

// A resumed run that ends whole leaves the mark of a verified run of the whole catalog, the
// files before the page it resumed at included.
TEST(Engine, AResumeFromALaterPageMarksTheWholeRunVerified) {
    Engine e({"async"}, 3000);
    const auto out = e.dir.path() / "out", run_dir = out / "async";
    e.s.run.sink = client::SinkConfig::Kind::files;
    e.s.run.out = out.string();
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    ASSERT_NE(harness::finished_run(run_dir).value_or("").find("a verified run of 3,000 files"), std::string::npos);

    // As if it had stopped after two pages: their files on disk, the checkpoint at the third.
    fs::remove(out / "async.verified.json");
    const auto config = e.s.cells[0].server;
    remove_files_from(run_dir, config.catalog.name(2000));
    ASSERT_EQ(files_under(run_dir), 2000u);
    const harness::Checkpoint cp{.strategy = "async",
                                 .server = harness::Server::attached({}, config, nullptr)->identity(),
                                 .token = config.catalog.token(2000),
                                 .files_before = 2000,
                                 .shard_width = client::shard_width_for(3000),
                                 .sink = "files"};
    ASSERT_TRUE(harness::save_checkpoint(run_dir, cp));

    e.s.resume = true;
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.err.find("resuming at page '" + cp.token + "' (the 2000 files before it are on disk)"),
              std::string::npos)
        << e.err;
    EXPECT_EQ(files_under(run_dir), 3000u);
    EXPECT_NE(harness::finished_run(run_dir).value_or("").find("a verified run of 3,000 files"), std::string::npos)
        << harness::finished_run(run_dir).value_or("(no mark)");
}

// A bucket's run resumes from its continuation token, as the API's from its page token; a
// checkpoint of another bucket on the same server is refused.
TEST(Engine, ABucketResumesFromItsContinuationTokenAndOnlyThatBucket) {
    Engine e({"async"}, 3000);
    e.s.client.s3 = client::ClientConfig::S3{"billion", "", std::nullopt};
    e.s.client.get_prefix = "/billion/";
    const auto out = e.dir.path() / "out", run_dir = out / "async";
    e.s.run.sink = client::SinkConfig::Kind::files;
    e.s.run.out = out.string();
    ASSERT_EQ(e.run(), kExitOk) << e.err;

    // As if it had stopped after two pages of keys: their files on disk, the checkpoint at the third.
    fs::remove(out / "async.verified.json");
    const auto config = e.s.cells[0].server;
    remove_files_from(run_dir, config.catalog.name(2000));
    const std::string server = harness::Server::attached({}, config, nullptr)->identity();
    harness::Checkpoint cp{.strategy = "async",
                           .server = server + " bucket other/",
                           .token = config.catalog.key_token(2000),
                           .files_before = 2000,
                           .shard_width = client::shard_width_for(3000),
                           .sink = "files"};
    ASSERT_TRUE(harness::save_checkpoint(run_dir, cp));
    e.s.resume = true;
    EXPECT_EQ(e.run(), kExitUsage) << e.err;
    EXPECT_NE(e.err.find("the checkpoint is for " + server + " bucket other/"), std::string::npos) << e.err;

    cp.server = server + " bucket billion/";
    ASSERT_TRUE(harness::save_checkpoint(run_dir, cp));
    ASSERT_EQ(e.run(), kExitOk) << e.err;
    EXPECT_NE(e.err.find("resuming at page '" + cp.token + "'"), std::string::npos) << e.err;
    EXPECT_EQ(files_under(run_dir), 3000u);
    EXPECT_NE(harness::finished_run(run_dir).value_or("").find("a verified run of 3,000 files"), std::string::npos);
}
