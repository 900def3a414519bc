// Every strategy against transient faults (all files still arrive, exactly) and against each
// hostile behaviour (a clear error naming the cause, what could be had downloaded exactly,
// nothing written outside the output directory, no hang).
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/processes/ipc.hpp"
#include "harness/verify/verify.hpp"
#include "strategies/strategy.hpp"
#include "tests/support/digests.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/jobs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

using namespace billion;
namespace fs = std::filesystem;

namespace {

// The shared small job, with the knobs these tests were written for.
strategies::Job options_for(const client::Endpoint& ep) {
    auto job = testkit::small_job(ep);
    job.knobs = {.workers = 6, .processes = 2, .concurrency = 8, .batch = 1};
    return job;
}

// A fresh parent directory holding the output directory, to see that nothing lands beside it.
struct Sandbox {
    testkit::TempDir dir;
    fs::path parent, out;
    explicit Sandbox(const std::string& tag) : dir("reliability-" + tag), parent(dir.path()), out(parent / "out") {
        fs::create_directories(out);
    }
    bool only_out_inside() const {
        std::size_t n = 0;
        for (auto& e : fs::directory_iterator(parent))
            n += e.path() != out ? 100 : 1;
        return n == 1;
    }
};

class Reliability : public ::testing::TestWithParam<std::string> {
protected:
    const strategies::Strategy& strategy() { return *strategies::find(GetParam()); }
};

}  // namespace

namespace {

// 1,500 files in pages of 200, with every transient fault the server can inject: a run
// retries and loses nothing, with pipelines of `pipeline` requests (1: none).
void expect_transient_faults_lose_nothing(const std::string& strategy, unsigned pipeline) {
    auto o = testkit::catalog_of(1500, 200);
    o.faults.error_rate = 0.05;
    o.faults.throttle_rate = 0.05;
    o.faults.reset_rate = 0.02;
    o.faults.truncate_rate = 0.02;
    testkit::MockServer server(o);
    Sandbox box("transient-" + strategy + "-" + std::to_string(pipeline));
    auto opts = options_for(server.endpoint());
    opts.sink = {client::SinkConfig::Kind::files, box.out};
    opts.knobs.pipeline = pipeline;
    if (pipeline > 1) opts.knobs.concurrency = 8;  // few connections: most requests in full pipelines
    auto r = strategies::find(strategy)->run(opts);
    EXPECT_GT(r.stats.retries, 0u);
    EXPECT_EQ(r.stats.files, 1500u) << r.stats.first_error;
    const harness::VerifyInput in{.stats = &r.stats, .catalog = &o.catalog, .sink = opts.sink};
    auto v = harness::verify(in);
    EXPECT_TRUE(v.ok) << v.first_problem();
}

}  // namespace

TEST_P(Reliability, TransientFaultsAreRetriedAndNothingIsLost) {
    expect_transient_faults_lose_nothing(GetParam(), 1);
}

// --pipeline 8 under the same faults: a fault in the middle of a pipeline costs its
// unanswered requests one more try each; every file arrives once and the run verifies.
class Pipelined : public ::testing::TestWithParam<std::string> {};

TEST_P(Pipelined, TransientFaultsMidPipelineLoseNothing) {
    expect_transient_faults_lose_nothing(GetParam(), 8);
}

INSTANTIATE_TEST_SUITE_P(EventLoops, Pipelined, ::testing::Values("async", "combo", "cluster"),
                         [](const auto& i) { return i.param; });

struct HostileCase {
    mock::Hostile mode;
    std::string cause;  // in the first error
    bool fatal;         // the listing cannot go on
};

// Readable in ctest's list: "bad-names (expects 'invalid file name', not fatal)".
void PrintTo(const HostileCase& c, std::ostream* os) {
    *os << mock::to_string(c.mode) << " (expects '" << c.cause << "', " << (c.fatal ? "fatal" : "not fatal") << ")";
}

class HostileServer : public ::testing::TestWithParam<std::tuple<std::string, HostileCase>> {};

TEST_P(HostileServer, EndsWithAClearErrorAndExactFiles) {
    const auto& [name, c] = GetParam();
    auto o = testkit::catalog_of(c.mode == mock::Hostile::stall ? 3 : 600, 200);
    o.hostile = c.mode;
    testkit::MockServer server(o);
    Sandbox box(std::string("hostile-") + mock::to_string(c.mode) + "-" + name);
    auto opts = options_for(server.endpoint());
    opts.sink = {client::SinkConfig::Kind::files, box.out};
    if (c.mode == mock::Hostile::stall) {
        opts.client.read_timeout = std::chrono::milliseconds(100);
        opts.client.max_attempts = 2;
    }
    auto r = strategies::find(name)->run(opts);

    EXPECT_GT(r.stats.failed(), 0u);
    EXPECT_EQ(r.stats.fatal, c.fatal);
    EXPECT_NE(std::string(r.stats.first_error).find(c.cause), std::string::npos) << r.stats.first_error;
    EXPECT_TRUE(box.only_out_inside()) << "something was written outside the output directory";
    // What is on disk is exactly what was received, and every file is a catalog file, exact.
    auto scan = harness::scan_files(box.out);
    EXPECT_EQ(scan.stray, 0u) << scan.first_stray;
    EXPECT_EQ(scan.digest, r.stats.received);
    EXPECT_EQ(testkit::exact_digest_of_present(o.catalog, box.out), scan.digest);
    if (c.mode == mock::Hostile::duplicate_names && name != "combo" && name != "cluster") {
        // Refused at the listing, before a second download: the sink never saw it. (combo's
        // workers and cluster's ranks list pages apart: the repeat may reach another one,
        // whose sink refuses it.)
        EXPECT_EQ(r.stats.failures[static_cast<int>(client::Stage::write)], 0u) << r.stats.first_error;
        EXPECT_EQ(nlohmann::json::parse(server.server().stats_json())["get_ok"], o.catalog.files);
    }
    // The run as a whole is not verified.
    const harness::VerifyInput in{.stats = &r.stats, .catalog = &o.catalog, .sink = opts.sink};
    EXPECT_FALSE(harness::verify(in).ok);
}

INSTANTIATE_TEST_SUITE_P(All, Reliability, ::testing::ValuesIn(testkit::strategy_names()),
                         [](const auto& i) { return i.param; });

INSTANTIATE_TEST_SUITE_P(
    All, HostileServer,
    ::testing::Combine(::testing::ValuesIn(testkit::strategy_names()),
                       ::testing::Values(HostileCase{mock::Hostile::bad_names, "invalid file name", false},
                                         HostileCase{mock::Hostile::malformed_json, "malformed JSON", true},
                                         HostileCase{mock::Hostile::no_filenames, "no FileNames", true},
                                         HostileCase{mock::Hostile::repeat_marker, "repeats an earlier one", true},
                                         HostileCase{mock::Hostile::duplicate_names, "listed twice", false},
                                         HostileCase{mock::Hostile::stall, "timed out", false},
                                         HostileCase{mock::Hostile::bad_length, "bad Content-Length", false},
                                         HostileCase{mock::Hostile::negative_length, "bad Content-Length", false})),
    [](const auto& info) {
        std::string mode = mock::to_string(std::get<1>(info.param).mode);
        std::replace(mode.begin(), mode.end(), '-', '_');
        return std::get<0>(info.param) + "_" + mode;
    });

TEST_P(Reliability, ResumeSkipsStoredFilesAndCompletesTheCatalog) {
    auto o = testkit::catalog_of(1500, 200);
    testkit::MockServer server(o);
    Sandbox box("resume-" + GetParam());
    client::SinkConfig sink{client::SinkConfig::Kind::files, box.out};
    {
        // What an interrupted run left: files 0..699 whole; pages from offset 600 not known complete.
        auto pre = client::open_sink(sink);
        client::WorkerStats scratch;
        for (std::uint64_t i = 0; i < 700; ++i)
            pre->write(o.catalog.name(i), o.catalog.content(i), scratch);
    }
    auto opts = options_for(server.endpoint());
    opts.sink = sink;
    opts.resume_from = o.catalog.token(600);
    auto r = strategy().run(opts);
    EXPECT_EQ(r.stats.stored.count, 100u);  // 600..699: listed again, not downloaded again
    EXPECT_EQ(r.stats.files, 800u);         // 700..1499
    EXPECT_EQ(nlohmann::json::parse(server.server().stats_json())["get_ok"], 800);
    const harness::VerifyInput in{.stats = &r.stats, .catalog = &o.catalog, .sink = sink, .resumed = true};
    auto v = harness::verify(in);
    EXPECT_TRUE(v.ok) << v.first_problem();
}

TEST_P(Reliability, BodyLongerThanAnnouncedNeverLeavesWrongBytes) {
    auto o = testkit::catalog_of(20, 10);
    o.hostile = mock::Hostile::long_body;
    testkit::MockServer server(o);
    Sandbox box("long-body-" + GetParam());
    auto opts = options_for(server.endpoint());
    opts.sink = {client::SinkConfig::Kind::files, box.out};
    opts.client.max_attempts = 3;
    auto r = strategy().run(opts);
    // Whatever was kept is exact: the announced length of the right bytes.
    auto scan = harness::scan_files(box.out);
    EXPECT_EQ(scan.stray, 0u);
    EXPECT_EQ(testkit::exact_digest_of_present(o.catalog, box.out), scan.digest);
    // Both clients read what arrives and parse it (client/http/answer_reader.hpp): they see
    // the extra bytes and name the cause.
    EXPECT_GT(r.stats.failed(), 0u);
    EXPECT_NE(std::string(r.stats.first_error).find("longer than its Content-Length"), std::string::npos)
        << r.stats.first_error;
}

TEST_P(Reliability, AFileOfTheWrongSizeIsAFailureAndNeverStored) {
    auto o = testkit::catalog_of(600, 200);
    o.hostile = mock::Hostile::wrong_size;  // files 7, 27, 47, ...: 99 or 101 bytes
    testkit::MockServer server(o);
    Sandbox box("wrong-size-" + GetParam());
    auto opts = options_for(server.endpoint());
    opts.sink = {client::SinkConfig::Kind::files, box.out};
    auto r = strategy().run(opts);
    EXPECT_EQ(r.stats.files, 570u);
    EXPECT_EQ(r.stats.failures[static_cast<int>(client::Stage::protocol)], 30u);
    EXPECT_FALSE(r.stats.fatal);
    EXPECT_NE(std::string(r.stats.first_error).find("wrong size"), std::string::npos) << r.stats.first_error;
    for (std::uint64_t i = 7; i < o.catalog.files; i += 20)
        EXPECT_FALSE(fs::exists(box.out / client::shard_of(o.catalog.name(i), client::SinkConfig{}.shard_width) /
                                o.catalog.name(i)))
            << i;
    auto scan = harness::scan_files(box.out);
    EXPECT_EQ(scan.digest, r.stats.received);
    EXPECT_EQ(scan.digest.bytes, 570u * 100);
    const harness::VerifyInput in{.stats = &r.stats, .sink = opts.sink};
    EXPECT_FALSE(harness::verify(in).ok);
}

TEST_P(Reliability, AStopEndsRetriesAndBackoffAndStartsNoRequest) {
    // Every answer stalls: without the stop, each request would take max_attempts read timeouts.
    auto o = testkit::catalog_of(40, 10);
    o.hostile = mock::Hostile::stall;
    testkit::MockServer server(o);
    auto opts = options_for(server.endpoint());
    opts.client.read_timeout = std::chrono::milliseconds(400);
    opts.client.max_attempts = 6;
    opts.client.backoff_base = std::chrono::milliseconds(200);
    client::SharedFlag stop;  // seen by worker processes too
    opts.client.stop = &stop.get();
    auto run = std::async(std::launch::async, [&] { return strategy().run(opts); });
    // Requests are in flight: the server has received some GETs (none is ever answered).
    auto gets = [&] { return nlohmann::json::parse(server.server().stats_json())["requests"]["get"].get<std::uint64_t>(); };
    testkit::eventually([&] { return gets() > 0; });
    const std::uint64_t at_stop = gets();
    stop.get() = true;
    ASSERT_EQ(run.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    auto r = run.get();
    EXPECT_TRUE(r.interrupted);
    // In-flight requests end at their read timeout, and no try starts after the stop: the only
    // GETs the server saw after it are those already on their way, at most one a connection.
    const auto connections = nlohmann::json::parse(server.server().stats_json())["connections_accepted"].get<std::uint64_t>();
    EXPECT_LE(gets(), at_stop + connections);
    EXPECT_EQ(r.stats.retries, 0u);
}

TEST_P(Reliability, RunningOutOfFilesKeepsEveryCountAndSaysEmfile) {
    if (GetParam() == "sync" || GetParam() == "processes")
        GTEST_SKIP() << "one connection per process: a limit of 64 open files is enough";
    // Far fewer open files than connections and sinks need: some fail, the others' counts stay.
    // (The test's server runs in this process under the same limit: some of its accepts fail
    // too, and those connections end at the read timeout.)
    auto o = testkit::catalog_of(1000, 200);
    testkit::MockServer server(o);
    Sandbox box("emfile-" + GetParam());
    auto opts = options_for(server.endpoint());
    opts.knobs.workers = 40;
    opts.knobs.concurrency = 80;
    opts.client.max_attempts = 2;
    opts.client.read_timeout = std::chrono::milliseconds(300);
    opts.sink = {client::SinkConfig::Kind::files, box.out};
    rlimit was{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &was), 0);
    rlimit low = was;
    low.rlim_cur = 64;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    auto r = strategy().run(opts);
    ::setrlimit(RLIMIT_NOFILE, &was);
    auto scan = harness::scan_files(box.out);
    // Every file on disk is counted (a failing worker took nobody's counts with it) ...
    EXPECT_EQ(scan.digest, r.stats.received) << "counts lost: " << r.stats.files << " counted";
    // ... and the cause is named as what it is, with what to do.
    ASSERT_GT(r.stats.failed(), 0u);
    std::string all;
    for (const auto& m : r.stats.first_by_stage)
        all += std::string(m) + "\n";
    EXPECT_NE(all.find("EMFILE"), std::string::npos) << all;
    EXPECT_NE(all.find("ulimit -n"), std::string::npos) << all;
    EXPECT_EQ(all.find("Operation canceled"), std::string::npos) << all;
}
