// The verifier catches a missing, a duplicated and a corrupted file, in memory and on disk.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "client/sinks/sink.hpp"
#include "harness/verify/verify.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion;
namespace fs = std::filesystem;

namespace {
// Stats as a strategy would leave them after listing and receiving files of a catalog.
client::WorkerStats received(const mock::Catalog& c, std::vector<std::uint64_t> got) {
    client::WorkerStats s;
    for (std::uint64_t i = 0; i < c.files; ++i)
        s.listed.add_name(c.name(i));
    for (auto i : got)
        s.received.add_file(c.name(i), c.content(i)), ++s.files;
    return s;
}
harness::Verification check(const mock::Catalog& c, const client::WorkerStats& s) {
    harness::VerifyInput in;
    in.stats = &s;
    in.catalog = &c;
    return harness::verify(in);
}
}  // namespace

TEST(Verify, AcceptsACompleteRun) {
    mock::Catalog c{.files = 4};
    auto v = check(c, received(c, {0, 1, 2, 3}));
    EXPECT_TRUE(v.ok) << v.first_problem();
}

TEST(Verify, CatchesAMissingFile) {
    mock::Catalog c{.files = 4};
    auto v = check(c, received(c, {0, 1, 3}));
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("1 missing"), std::string::npos) << v.first_problem();
}

TEST(Verify, CatchesADuplicatedFile) {
    mock::Catalog c{.files = 4};
    auto v = check(c, received(c, {0, 1, 2, 3, 2}));
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("more than once"), std::string::npos) << v.first_problem();
    // A duplicate hiding a missing file (same count) is caught too.
    auto w = check(c, received(c, {0, 1, 2, 2}));
    EXPECT_FALSE(w.ok);
}

TEST(Verify, CatchesACorruptedFile) {
    mock::Catalog c{.files = 4};
    auto s = received(c, {0, 1, 2});
    std::string bad = c.content(3);
    bad[50] ^= 1;
    s.received.add_file(c.name(3), bad);
    ++s.files;
    auto v = check(c, s);
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("contents differ"), std::string::npos) << v.first_problem();
}

TEST(Verify, CatchesFilesChangedOrLeftOnDisk) {
    mock::Catalog c{.files = 20};
    billion::testkit::TempDir temp("verify");
    const auto& dir = temp.path();
    auto sink = client::open_sink({client::SinkConfig::Kind::files, dir});
    client::WorkerStats s;
    for (std::uint64_t i = 0; i < c.files; ++i) {
        s.listed.add_name(c.name(i));
        sink->write(c.name(i), c.content(i), s);
    }
    harness::VerifyInput in;
    in.stats = &s;
    in.catalog = &c;
    in.sink = {client::SinkConfig::Kind::files, dir};
    EXPECT_TRUE(harness::verify(in).ok);

    auto victim = dir / client::shard_of(c.name(5), client::SinkConfig{}.shard_width) / c.name(5);
    { std::ofstream(victim, std::ios::binary | std::ios::trunc) << "corrupted"; }
    auto v = harness::verify(in);
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("disk differs"), std::string::npos) << v.first_problem();

    { std::ofstream(victim, std::ios::binary | std::ios::trunc) << c.content(5); }
    { std::ofstream(dir / "stray.part") << "x"; }
    auto w = harness::verify(in);
    EXPECT_FALSE(w.ok);
    EXPECT_NE(w.first_problem().find("stray"), std::string::npos) << w.first_problem();

    fs::remove(dir / "stray.part");
    fs::remove(victim);
    EXPECT_FALSE(harness::verify(in).ok);
}

TEST(Verify, CrossChecksTheServersCount) {
    mock::Catalog c{.files = 3};
    auto s = received(c, {0, 1, 2});
    harness::VerifyInput in;
    in.stats = &s;
    in.server = harness::ServerCounts{.get_ok = 4};
    EXPECT_FALSE(harness::verify(in).ok);
    in.server->get_ok = 3;
    EXPECT_TRUE(harness::verify(in).ok);
}

// --max-time: a capped run is checked as the catalog's first files, listed and received.
TEST(Verify, AcceptsACappedRunThatDidAWholePrefix) {
    mock::Catalog c{.files = 10};
    client::WorkerStats s;
    for (std::uint64_t i = 0; i < 4; ++i) {
        s.listed.add_name(c.name(i));
        s.received.add_file(c.name(i), c.content(i)), ++s.files;
    }
    s.capped = true;
    auto v = check(c, s);
    EXPECT_TRUE(v.ok) << v.first_problem();
    EXPECT_EQ(v.checks.front().name, "listing capped by --max-time");
}

TEST(Verify, RefusesACappedRunWhoseFilesAreNotThePrefix) {
    mock::Catalog c{.files = 10};
    client::WorkerStats s;
    for (std::uint64_t i = 1; i < 5; ++i) {  // not the first files: a page skipped
        s.listed.add_name(c.name(i));
        s.received.add_file(c.name(i), c.content(i)), ++s.files;
    }
    s.capped = true;
    auto v = check(c, s);
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("the catalog's first 4 files"), std::string::npos) << v.first_problem();
    // Nor is a stop request a cap: an interrupted run stays unverified.
    harness::VerifyInput in;
    in.stats = &s;
    in.catalog = &c;
    in.interrupted = true;
    EXPECT_FALSE(harness::verify(in).ok);
}

// A stopped run is checked against the prefix it walked, never the whole catalog: with a
// catalog of 10^15 files, a whole digest would not end in this test's lifetime.
TEST(Verify, AStoppedRunIsCheckedAgainstThePrefixItListed) {
    mock::Catalog c{.files = 1'000'000'000'000'000};
    client::WorkerStats s;
    for (std::uint64_t i = 0; i < 6; ++i)
        s.listed.add_name(c.name(i));
    for (std::uint64_t i = 0; i < 4; ++i)  // two listed files were dropped at the stop
        s.received.add_file(c.name(i), c.content(i)), ++s.files;
    harness::VerifyInput in;
    in.stats = &s;
    in.catalog = &c;
    in.interrupted = true;
    auto v = harness::verify(in);
    EXPECT_FALSE(v.ok);
    auto prefix = std::find_if(v.checks.begin(), v.checks.end(),
                               [](const auto& k) { return k.name == "listed names are the catalog's first files"; });
    ASSERT_NE(prefix, v.checks.end());
    EXPECT_TRUE(prefix->ok) << prefix->detail;
    // Every file listed arrived: its bytes are checked against the prefix too.
    for (std::uint64_t i = 4; i < 6; ++i)
        s.received.add_file(c.name(i), c.content(i)), ++s.files;
    auto whole = harness::verify(in);
    auto bytes = std::find_if(whole.checks.begin(), whole.checks.end(),
                              [](const auto& k) { return k.name == "bytes match the catalog rule"; });
    ASSERT_NE(bytes, whole.checks.end());
    EXPECT_TRUE(bytes->ok) << bytes->detail;
    // The failure line names the check that failed, so it cannot read as a success.
    EXPECT_EQ(whole.first_problem(), "failed check 'listing complete': interrupted before the end");
}

TEST(Verify, AFailedListingIsCheckedAgainstThePrefixItListed) {
    mock::Catalog c{.files = 1'000'000'000'000'000};
    client::WorkerStats s;
    s.listed.add_name(c.name(1));  // not the first name: the server's listing went wrong
    s.fail(client::Stage::protocol, "malformed JSON", true);
    auto v = check(c, s);
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("failed check 'listing complete'"), std::string::npos) << v.first_problem();
    auto prefix = std::find_if(v.checks.begin(), v.checks.end(),
                               [](const auto& k) { return k.name == "listed names are the catalog's first files"; });
    ASSERT_NE(prefix, v.checks.end());
    EXPECT_FALSE(prefix->ok);
}

// Every try ended well and no failure was counted, yet the server served more files than were
// kept (4,096 threads on two cores: tries given up on at --read-timeout were answered late):
// the check names that cause and what to change, not only the two counts.
TEST(Verify, AServerThatServedMoreThanWasKeptNamesTheRetriesBehindIt) {
    mock::Catalog c{.files = 4};
    auto s = received(c, {0, 1, 2, 3});
    s.retried(client::Stage::get, "timed out: no answer within 1000 ms");
    harness::VerifyInput in;
    in.stats = &s;
    in.catalog = &c;
    in.server = harness::ServerCounts{.get_ok = 5, .list_requests = 1, .get_requests = 5, .connections = 1};
    const auto v = harness::verify(in);
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.first_problem().find("server answered 5 whole files, client kept 4; the client retried 1 requests "
                                     "(first: get: timed out: no answer within 1000 ms)"),
              std::string::npos)
        << v.first_problem();
    EXPECT_NE(v.first_problem().find("raise --read-timeout"), std::string::npos) << v.first_problem();
}
