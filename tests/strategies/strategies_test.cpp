// Every strategy against the mock server (with and without latency, both sinks) and against
// an independent server: nothing lost, duplicated or corrupted, connections reused, no child
// process left behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "harness/verify/verify.hpp"
#include "strategies/strategy.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/jobs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

using namespace billion;
namespace fs = std::filesystem;

namespace {

struct Case {
    std::string strategy;
    int latency_ms;
    client::SinkConfig::Kind sink;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.strategy << ", latency " << c.latency_ms << " ms, " << client::to_string(c.sink) << " sink";
}

std::string case_name(const ::testing::TestParamInfo<Case>& i) {
    return i.param.strategy + "_latency" + std::to_string(i.param.latency_ms) + "ms_" + client::to_string(i.param.sink);
}

// The most connections a strategy may open for the options above: one per worker plus a lister.
std::uint64_t connection_bound(const std::string& s) {
    if (s == "sync") return 1;
    if (s == "threads") return 8 + 1;
    if (s == "processes") return 3 + 1;
    if (s == "async") return 16 + 1;
    return std::uint64_t{3} * (16 + 1);  // combo: 3 processes; cluster: 3 downloading ranks
}

class EveryStrategy : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(EveryStrategy, DownloadsEveryFileOnceAndExactly) {
    const Case& c = GetParam();
    auto opts = testkit::catalog_of(2500, 300);
    opts.latency = std::chrono::milliseconds(c.latency_ms);
    testkit::MockServer server(opts);
    auto o = testkit::small_job(server.endpoint());
    testkit::TempDir dir("strategy-" + case_name({GetParam(), 0}));
    if (c.sink != client::SinkConfig::Kind::null) o.sink = {c.sink, dir.path()};

    const auto* s = strategies::find(c.strategy);
    ASSERT_NE(s, nullptr);
    auto result = s->run(o);

    EXPECT_FALSE(testkit::has_children()) << "a worker process was left behind";
    EXPECT_TRUE(result.children_ok);
    EXPECT_EQ(result.stats.files, 2500u);
    EXPECT_EQ(result.stats.pages, 9u);
    // The strategies with a token chain time each of its steps, one a page.
    const bool chained = c.strategy == "combo" || c.strategy == "cluster";
    EXPECT_EQ(result.stats.chain_steps, chained ? 9u : 0u);
    const harness::VerifyInput in{.stats = &result.stats, .catalog = &opts.catalog, .sink = o.sink};
    auto v = harness::verify(in);
    EXPECT_TRUE(v.ok) << v.first_problem();

    auto stats = nlohmann::json::parse(server.server().stats_json());
    EXPECT_EQ(stats["get_ok"], 2500);
    EXPECT_EQ(stats["requests"]["list"], 9);
    EXPECT_LE(stats["connections_accepted"].get<std::uint64_t>(), connection_bound(c.strategy));
    EXPECT_EQ(result.stats.connections, stats["connections_accepted"].get<std::uint64_t>());
}

static std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (const auto& s : strategies::all())
        for (int latency : {0, 1})
            for (auto sink :
                 {client::SinkConfig::Kind::null, client::SinkConfig::Kind::files, client::SinkConfig::Kind::sqlite})
                cases.push_back({s.name, latency, sink});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(All, EveryStrategy, ::testing::ValuesIn(all_cases()), case_name);

class AgainstIndependentServer : public ::testing::TestWithParam<std::string> {};

TEST_P(AgainstIndependentServer, DownloadsWhatItLists) {
    testkit::IndependentServer server(500, 7);
    auto o = testkit::small_job(server.endpoint());
    auto result = strategies::find(GetParam())->run(o);
    EXPECT_FALSE(testkit::has_children());
    const harness::VerifyInput in{.stats = &result.stats};
    auto v = harness::verify(in);
    EXPECT_TRUE(v.ok) << v.first_problem();
    EXPECT_EQ(result.stats.files, 500u);
    EXPECT_EQ(result.stats.bytes, 500u * 100);
    EXPECT_LE(result.stats.connections, connection_bound(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(All, AgainstIndependentServer,
                         ::testing::Values("sync", "threads", "processes", "async", "combo", "cluster"));

TEST(Strategies, StopRequestEndsARunEarlyAndCleanly) {
    testkit::MockServer server(testkit::catalog_of(100000));
    for (const auto& s : strategies::all()) {
        std::atomic<bool> stop{true};  // already set: nothing new may start
        auto o = testkit::small_job(server.endpoint());
        o.client.stop = &stop;
        auto r = s.run(o);
        EXPECT_TRUE(r.interrupted) << s.name;
        EXPECT_LT(r.stats.files, 100000u) << s.name;
        EXPECT_FALSE(testkit::has_children()) << s.name;
    }
}

TEST(Strategies, ListingFailureIsReportedNotSwallowed) {
    // Nobody listens on this port: every strategy reports a fatal connect failure.
    client::Endpoint nowhere{"127.0.0.1", 1};
    for (const auto& s : strategies::all()) {
        auto o = testkit::small_job(nowhere);
        o.client.max_attempts = 2;
        o.client.backoff_base = std::chrono::milliseconds(1);
        auto r = s.run(o);
        EXPECT_TRUE(r.stats.fatal) << s.name;
        EXPECT_GT(r.stats.failures[static_cast<int>(client::Stage::connect)], 0u) << s.name;
        EXPECT_EQ(r.stats.files, 0u);
        EXPECT_FALSE(testkit::has_children()) << s.name;
    }
}

namespace {
// Names an object store may list, beyond the contract's [A-Za-z0-9._-]; and names that are
// never a safe path component, whatever the rule.
const std::vector<std::string> kWide = {"sp ace",    "q?mark",         "hash#tag", "pct%41", "uni-\xc3\xa9\xe4\xb8\xad",
                                        "plus+sign", "semi;colon&amp", "quote\"d"};
const std::vector<std::string> kUnsafe = {"../up", "a/b", "..", ".", "", "/abs", std::string("nul\0x", 5), "ctl\nx"};

class WideNames : public ::testing::TestWithParam<std::tuple<std::string, client::SinkConfig::Kind>> {};
}  // namespace

// --names any: wide names are requested percent-encoded and stored under their exact names in
// either sink; unsafe ones are refused (protocol, not fatal) and nothing lands outside --out.
// Without it, the contract's rule refuses the wide names too.
TEST_P(WideNames, AreStoredUnderTheirExactNamesAndTraversalIsRefused) {
    const auto& [strategy, sink] = GetParam();
    std::vector<std::string> listed;
    for (int i = 0; i < 40; ++i)
        listed.push_back(std::to_string(i) + "-plain");
    listed.insert(listed.begin() + 5, kWide.begin(), kWide.end());
    listed.insert(listed.begin() + 20, kUnsafe.begin(), kUnsafe.end());
    testkit::IndependentServer server(listed, 9);
    for (auto rule : {client::NameRule::any, client::NameRule::contract}) {
        testkit::TempDir dir(std::string("wide-names-") + strategy + "-" + client::to_string(sink) +
                             (rule == client::NameRule::any ? "-any" : "-contract"));
        const fs::path out = dir.path() / "out";
        fs::create_directories(out);
        auto o = testkit::small_job(server.endpoint());
        o.client.names = rule;
        o.sink = {sink, out};
        o.sink.names = rule;
        auto r = strategies::find(strategy)->run(o);
        const std::uint64_t wide = rule == client::NameRule::any ? kWide.size() : 0;
        EXPECT_EQ(r.stats.files, 40 + wide) << r.stats.first_error;
        EXPECT_EQ(r.stats.failures[static_cast<int>(client::Stage::protocol)], kUnsafe.size() + kWide.size() - wide);
        EXPECT_FALSE(r.stats.fatal);
        EXPECT_NE(std::string(r.stats.first_error).find("invalid file name"), std::string::npos);
        // Everything under --out, nothing beside it; the store holds exactly what was received.
        for (const auto& e : fs::directory_iterator(dir.path()))
            EXPECT_EQ(e.path(), out) << "written outside --out";
        auto scan = harness::scan_sink(o.sink);
        EXPECT_EQ(scan.stray, 0u) << scan.first_stray;
        EXPECT_EQ(scan.digest, r.stats.received);
        if (sink == client::SinkConfig::Kind::files && rule == client::NameRule::any) {
            for (const auto& name : kWide)
                EXPECT_TRUE(fs::exists(out / client::shard_of(name, o.sink.shard_width) / name)) << name;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    All, WideNames,
    ::testing::Combine(::testing::ValuesIn(testkit::strategy_names()),
                       ::testing::Values(client::SinkConfig::Kind::files, client::SinkConfig::Kind::sqlite)),
    [](const auto& i) { return std::get<0>(i.param) + "_" + client::to_string(std::get<1>(i.param)); });

namespace {
class SinkCannotOpen : public ::testing::TestWithParam<std::string> {};
}  // namespace

// One convention for every strategy: a sink that cannot be opened is counted at the write
// stage, as fatal, with its cause (a forked worker or a rank sends it to the parent); the run
// ends without downloading, every worker still reports, and none is left behind.
TEST_P(SinkCannotOpen, EndsTheRunWithItsCause) {
    testkit::MockServer server(testkit::catalog_of(3000, 500));
    auto job = testkit::small_job(server.endpoint());
    job.sink = {client::SinkConfig::Kind::files, "/dev/null/not-a-directory"};
    auto r = strategies::find(GetParam())->run(job);
    EXPECT_TRUE(r.children_ok) << r.stats.first_error;  // every worker still reported
    EXPECT_TRUE(r.stats.fatal);
    EXPECT_EQ(r.stats.files, 0u);
    EXPECT_GT(r.stats.failures[static_cast<int>(client::Stage::write)], 0u);
    EXPECT_NE(std::string(r.stats.first_by_stage[static_cast<int>(client::Stage::write)]).find("not-a-directory"),
              std::string::npos)
        << r.stats.first_by_stage[static_cast<int>(client::Stage::write)];
    EXPECT_FALSE(testkit::has_children());
}

INSTANTIATE_TEST_SUITE_P(All, SinkCannotOpen, ::testing::ValuesIn(testkit::strategy_names()),
                         [](const auto& i) { return i.param; });
