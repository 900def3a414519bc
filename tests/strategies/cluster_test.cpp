// The cluster strategy's own parts: the mpirun command (the traps of root, oversubscription and
// transports), the --hosts check, what crosses between billion and its ranks, and runs of
// four ranks on this machine: every file once, a stop that still reports every rank, a
// missing mpirun named. (Every strategy's shared tests run it too; the run on simulated
// hosts is scripts/cluster-demo, tests/scripts/cluster_demo_test.)
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/errors.hpp"
#include "harness/verify/verify.hpp"
#include "strategies/cluster_launch.hpp"
#include "strategies/cluster_wire.hpp"
#include "strategies/mpi_scratch.hpp"
#include "strategies/strategy.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/jobs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

using namespace billion;

namespace {

bool has(const std::vector<std::string>& args, const std::string& a) {
    return std::find(args.begin(), args.end(), a) != args.end();
}
// The value after flag (the MCA name for --mca), or "".
std::string after(const std::vector<std::string>& args, const std::string& flag) {
    auto it = std::find(args.begin(), args.end(), flag);
    return it != args.end() && it + 1 != args.end() ? *(it + 1) : "";
}
std::string mca(const std::vector<std::string>& args, const std::string& name) {
    for (std::size_t i = 0; i + 2 < args.size(); ++i)
        if (args[i] == "--mca" && args[i + 1] == name) return args[i + 2];
    return "";
}

}  // namespace

TEST(ClusterLaunch, MpirunIsToldWhatAContainerAndRootNeed) {
    strategies::Job job;
    job.knobs.ranks = 4;
    const auto args = strategies::mpirun_args(job, "/x/billion-cluster", /*root=*/true);
    EXPECT_EQ(args.front(), "mpirun");
    EXPECT_TRUE(has(args, "--allow-run-as-root"));
    EXPECT_TRUE(has(args, "--oversubscribe"));  // 5 ranks on any number of cores
    EXPECT_EQ(after(args, "-np"), "5");         // 4 downloading, 1 owning the tokens
    // One machine: shared memory for the tokens' hops, TCP where it cannot be used; no CMA.
    EXPECT_EQ(mca(args, "btl"), "self,vader,tcp");
    EXPECT_EQ(mca(args, "btl_vader_single_copy_mechanism"), "none");
    EXPECT_EQ(mca(args, "btl_tcp_if_include"), "lo");
    EXPECT_EQ(mca(args, "plm_rsh_agent"), "false");  // no ssh needed on one machine
    EXPECT_FALSE(has(args, "--host"));
    // The job travels whole on the command line, after the program.
    ASSERT_GE(args.size(), 3u);
    EXPECT_EQ(args[args.size() - 3], "/x/billion-cluster");
    EXPECT_EQ(args[args.size() - 2], "--job");
    EXPECT_EQ(strategies::job_from_json(args.back()).knobs.concurrency, job.knobs.concurrency);

    EXPECT_FALSE(has(strategies::mpirun_args(job, "b", /*root=*/false), "--allow-run-as-root"));
    // Open MPI's files in billion's own directory, removed after the job however it ends.
    const auto own = strategies::mpirun_args(job, "b", false, "/x/scratch");
    EXPECT_EQ(mca(own, "orte_tmpdir_base"), "/x/scratch");
    EXPECT_EQ(mca(own, "btl_vader_backing_directory"), "/x/scratch");
}

TEST(ClusterLaunch, HostsGoToMpirunAndLoopbackIsNotForced) {
    strategies::Job job;
    job.knobs.ranks = 3;
    job.knobs.hosts = "198.18.0.2:2,198.18.0.3:2";
    const auto args = strategies::mpirun_args(job, "b", false);
    EXPECT_EQ(after(args, "--host"), "198.18.0.2:2,198.18.0.3:2");
    EXPECT_EQ(mca(args, "btl"), "self,tcp");  // across hosts: TCP alone
    // Other hosts' directories are not billion's to remove: Open MPI's own places there.
    EXPECT_EQ(mca(strategies::mpirun_args(job, "b", false, "/x/scratch"), "orte_tmpdir_base"), "");
    EXPECT_EQ(mca(args, "btl_tcp_if_include"), "");  // the hosts' own interfaces
    EXPECT_EQ(mca(args, "plm_rsh_agent"), "");       // ssh, or what OMPI_MCA_plm_rsh_agent says
    EXPECT_EQ(after(args, "-np"), "4");
}

TEST(ClusterLaunch, WithHostsAndNoRanksEverySlotButRankZerosDownloads) {
    strategies::Job job;
    job.knobs.hosts = "a:3,b:2,c";
    EXPECT_EQ(strategies::host_slots(job.knobs.hosts).value(), 6u);
    EXPECT_EQ(job.rank_count(), 5u);
    EXPECT_EQ(after(strategies::mpirun_args(job, "b", false), "-np"), "6");
    job.knobs.ranks = 9;  // more than the slots: mpirun oversubscribes
    EXPECT_EQ(job.rank_count(), 9u);
}

TEST(ClusterLaunch, HostsListIsChecked) {
    for (const char* ok : {"a:2,b:3", "10.0.0.2:16", "node-1", "198.18.0.2:2,198.18.0.3:1"})
        EXPECT_TRUE(strategies::check_hosts(ok)) << ok;
    for (const char* bad : {"", "a:", "a:0", "a:x", "a b:2", "a:2,", ",a:2", "a:2:3", "a;rm:2"})
        EXPECT_FALSE(strategies::check_hosts(bad)) << bad;
}

TEST(ClusterWire, TheJobCrossesWhole) {
    strategies::Job job;
    job.server = {"198.18.0.1", 8080};
    job.client.read_timeout = std::chrono::milliseconds(1234);
    job.client.max_attempts = 3;
    job.client.file_size = 64;
    job.client.cpu_per_request = std::chrono::microseconds(500);
    job.sink = {client::SinkConfig::Kind::sqlite, "/tmp/x y", 64, true, 2};
    job.knobs.concurrency = 77;
    job.resume_from = "tok+/=";
    job.list_until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const auto back = strategies::job_from_json(strategies::job_to_json(job));
    EXPECT_EQ(back.server.host, "198.18.0.1");
    EXPECT_EQ(back.server.port, 8080);
    EXPECT_EQ(back.client.read_timeout, job.client.read_timeout);
    EXPECT_EQ(back.client.max_attempts, 3);
    EXPECT_EQ(back.client.file_size, 64u);
    EXPECT_EQ(back.client.cpu_per_request, job.client.cpu_per_request);
    EXPECT_EQ(back.sink.kind, client::SinkConfig::Kind::sqlite);
    EXPECT_EQ(back.sink.dir, "/tmp/x y");
    EXPECT_TRUE(back.sink.repair_partial);
    EXPECT_EQ(back.sink.shard_width, 2u);
    EXPECT_EQ(back.knobs.concurrency, 77u);
    EXPECT_EQ(back.resume_from, "tok+/=");
    ASSERT_TRUE(back.list_until.has_value());  // time left, not a clock reading
    const auto left = *back.list_until - std::chrono::steady_clock::now();
    EXPECT_GT(left, std::chrono::seconds(50));
    EXPECT_LE(left, std::chrono::seconds(60));
    EXPECT_FALSE(strategies::job_from_json(strategies::job_to_json(strategies::Job{})).resume_from);

    EXPECT_THROW(strategies::job_from_json("{}"), std::runtime_error);
    EXPECT_THROW(strategies::job_from_json("not json"), std::runtime_error);
}

TEST(ClusterWire, CountersCrossWholeOrNotAtAll) {
    client::WorkerStats s;
    s.files = 12345;
    s.received.add_file("a.txt", "x");
    s.fail(client::Stage::get, "boom");
    const auto line = strategies::stats_line(s);
    client::WorkerStats back;
    ASSERT_TRUE(strategies::parse_stats_line(line, back));
    EXPECT_EQ(back.files, 12345u);
    EXPECT_EQ(back.received, s.received);
    EXPECT_STREQ(back.first_error, s.first_error);
    EXPECT_FALSE(strategies::parse_stats_line(line.substr(0, line.size() - 2), back));  // cut short
    EXPECT_FALSE(strategies::parse_stats_line(line.substr(0, line.size() - 1), back));  // odd
    auto bad = line;
    bad[bad.size() - 1] = 'z';
    EXPECT_FALSE(strategies::parse_stats_line(bad, back));
    EXPECT_FALSE(strategies::parse_stats_line(strategies::kReadyLine, back));
}

// What Open MPI writes for a job (its session directory, the ranks' shared memory) is gone
// once billion has the job's counters, and what a killed billion left is removed by the next.
std::vector<std::string> scratch_of(pid_t pid) {
    std::vector<std::string> found;
    const std::string mine = "billion-mpi-" + std::to_string(pid) + "-";
    for (const auto& e : std::filesystem::directory_iterator(strategies::MpiScratch::root()))
        if (e.path().filename().string().starts_with(mine)) found.push_back(e.path().string());
    return found;
}

TEST(MpiScratch, WhatADeadBillionLeftIsRemovedAndALiveOnesKept) {
    const pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    ASSERT_GT(dead, 0);
    ::waitpid(dead, nullptr, 0);
    const auto root = strategies::MpiScratch::root();
    const auto left = root / ("billion-mpi-" + std::to_string(dead) + "-0");
    std::filesystem::create_directories(left / "ompi.host.0");
    std::ofstream(left / "vader_segment.host.1.0") << "segment";
    {
        strategies::MpiScratch job;  // sweeps first
        EXPECT_FALSE(std::filesystem::exists(left));
        EXPECT_TRUE(std::filesystem::is_directory(job.path()));
        std::ofstream(job.path() / "vader_segment.host.2.0") << "segment";
        EXPECT_EQ(scratch_of(::getpid()).size(), 1u);  // its own: kept while this process runs
    }
    EXPECT_TRUE(scratch_of(::getpid()).empty());  // and removed with everything in it
}

TEST(Cluster, FourRanksOnThisMachineDownloadEveryFileOnce) {
    auto o = testkit::catalog_of(20000, 500);
    testkit::MockServer server(o);
    testkit::TempDir dir("cluster-four");
    auto job = testkit::small_job(server.endpoint());
    job.knobs.ranks = 4;
    job.sink = {client::SinkConfig::Kind::files, dir.path()};
    auto r = strategies::run_cluster(job);
    EXPECT_FALSE(testkit::has_children()) << "mpirun or a rank was left behind";
    EXPECT_TRUE(r.children_ok);
    EXPECT_FALSE(r.interrupted);
    EXPECT_EQ(r.stats.files, 20000u);
    EXPECT_EQ(r.stats.pages, 40u);
    EXPECT_EQ(r.stats.chain_steps, 40u);  // one step of the token chain a page, each timed
    EXPECT_GT(r.stats.chain_step_ns, 0u);
    const harness::VerifyInput in{.stats = &r.stats, .catalog = &o.catalog, .sink = job.sink};
    auto v = harness::verify(in);
    EXPECT_TRUE(v.ok) << v.first_problem();
    auto counts = nlohmann::json::parse(server.server().stats_json());
    EXPECT_EQ(counts["get_ok"], 20000);  // each file asked for once, by one rank
    EXPECT_EQ(counts["requests"]["list"], 40);
    // Four ranks, each with its lister and 16 downloaders: every one of them worked.
    EXPECT_EQ(r.stats.connections, 4u * (16 + 1));
    EXPECT_GT(r.stats.peak_rss_sum_kb, r.stats.peak_rss_kb);  // five processes' peaks added up
    EXPECT_TRUE(scratch_of(::getpid()).empty()) << "Open MPI's files of the job were left";
}

TEST(Cluster, AStopReachesEveryRankAndTheirCountsStillCome) {
    auto o = testkit::catalog_of(200000, 200);
    o.latency = std::chrono::microseconds(500);
    testkit::MockServer server(o);
    testkit::TempDir dir("cluster-stop");
    auto job = testkit::small_job(server.endpoint());
    job.knobs.ranks = 4;
    job.sink = {client::SinkConfig::Kind::files, dir.path()};
    std::atomic<bool> stop{false};
    job.client.stop = &stop;
    std::thread later([&] {
        // Stopped once files are landing (the server has served some), not after a fixed sleep.
        testkit::eventually([&] { return nlohmann::json::parse(server.server().stats_json())["get_ok"] >= 1000; });
        stop = true;
    });
    auto r = strategies::run_cluster(job);
    later.join();
    EXPECT_TRUE(r.interrupted);
    EXPECT_TRUE(r.children_ok) << r.stats.first_error;  // mpirun ended cleanly, counters came
    EXPECT_GT(r.stats.files, 0u);
    EXPECT_LT(r.stats.files, 200000u);
    EXPECT_FALSE(testkit::has_children());
    // What is on disk is exactly what the ranks counted: no rank's counts were lost.
    EXPECT_EQ(harness::scan_files(dir.path()).digest, r.stats.received);
}

// Ranks that cannot write: strategies_test.cpp, SinkCannotOpen (every strategy).

TEST(Cluster, WithoutMpirunItSaysWhatToInstall) {
    const std::string path = std::getenv("PATH");
    ::setenv("PATH", "/nonexistent", 1);
    strategies::Job job;
    try {
        strategies::run_cluster(job);
        ADD_FAILURE() << "ran without mpirun";
    } catch (const client::StageError& e) {
        EXPECT_NE(std::string(e.what()).find("apt-get install openmpi-bin"), std::string::npos) << e.what();
    }
    ::setenv("PATH", path.c_str(), 1);
}
