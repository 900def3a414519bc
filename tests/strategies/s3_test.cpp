// Every strategy downloads the mock server's bucket, anonymously and signed, into both kinds of
// sink; what a hostile bucket lists is refused as for the API.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "client/s3/bucket.hpp"
#include "harness/verify/verify.hpp"
#include "strategies/strategy.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/jobs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

using namespace billion;

namespace {

const client::s3::Credentials kKeys{"AKIDBILLIONTEST", "test/secret+key", "us-east-1"};

// A job that downloads the server's bucket, signed with kKeys or anonymous. Cluster's ranks
// read the keys from their environment, as billion's user gives them.
strategies::Job bucket_job(const client::Endpoint& server, bool signed_requests) {
    auto job = testkit::small_job(server);
    job.client.s3 = client::ClientConfig::S3{"billion", "", std::nullopt};
    if (signed_requests) {
        job.client.s3->credentials = kKeys;
        ::setenv("AWS_ACCESS_KEY_ID", kKeys.access_key.c_str(), 1);
        ::setenv("AWS_SECRET_ACCESS_KEY", kKeys.secret_key.c_str(), 1);
    }
    job.client.get_prefix = client::s3::object_prefix("billion", "");
    return job;
}

struct Case {
    std::string strategy;
    bool signed_requests;
    client::SinkConfig::Kind sink;
};

std::string case_name(const ::testing::TestParamInfo<Case>& i) {
    return i.param.strategy + (i.param.signed_requests ? "_signed_" : "_anonymous_") + client::to_string(i.param.sink);
}

class EveryStrategyOnABucket : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(EveryStrategyOnABucket, DownloadsEveryObjectOnceAndExactly) {
    const Case& c = GetParam();
    auto opts = testkit::catalog_of(2500);
    opts.s3_keys = kKeys;
    testkit::MockServer server(opts);
    auto job = bucket_job(server.endpoint(), c.signed_requests);
    testkit::TempDir dir("s3-" + case_name({GetParam(), 0}));
    if (c.sink != client::SinkConfig::Kind::null) job.sink = {c.sink, dir.path()};

    auto result = strategies::find(c.strategy)->run(job);
    EXPECT_FALSE(testkit::has_children());
    EXPECT_EQ(result.stats.files, 2500u) << result.stats.first_error;
    EXPECT_EQ(result.stats.pages, 3u);  // 1000 keys a page
    EXPECT_EQ(result.stats.failed(), 0u) << result.stats.first_error;
    const harness::VerifyInput in{.stats = &result.stats, .catalog = &opts.catalog, .sink = job.sink};
    auto v = harness::verify(in);
    EXPECT_TRUE(v.ok) << v.first_problem();
    auto stats = nlohmann::json::parse(server.server().stats_json());
    EXPECT_EQ(stats["get_ok"], 2500);
    EXPECT_EQ(stats["requests"]["list"], 3);
    EXPECT_EQ(stats["status"]["200"], 2503) << stats.dump();  // no request refused
    // cluster's ranks sign in processes of their own, whose counts come back as stats.
    EXPECT_EQ(result.stats.signed_requests, c.signed_requests ? 2503u : 0u);
    if (c.signed_requests) {
        EXPECT_GT(result.stats.signing_ns, 0u);
    }
}

static std::vector<Case> bucket_cases() {
    std::vector<Case> cases;
    for (const auto& s : testkit::strategy_names())
        for (bool signed_requests : {false, true})
            cases.push_back({s, signed_requests,
                             signed_requests ? client::SinkConfig::Kind::files : client::SinkConfig::Kind::null});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(S3, EveryStrategyOnABucket, ::testing::ValuesIn(bucket_cases()), case_name);

TEST(S3Bucket, AWrongKeyEndsTheListingWithS3sCode) {
    auto opts = testkit::catalog_of(100);
    opts.s3_keys = client::s3::Credentials{kKeys.access_key, "another secret", "us-east-1"};
    testkit::MockServer server(opts);
    auto job = bucket_job(server.endpoint(), true);
    auto result = strategies::find("async")->run(job);
    EXPECT_EQ(result.stats.files, 0u);
    EXPECT_TRUE(result.stats.fatal);
    EXPECT_NE(std::string(result.stats.first_error).find("HTTP 403 SignatureDoesNotMatch"), std::string::npos)
        << result.stats.first_error;
}

TEST(S3Bucket, HostileListingsAreRefusedAsTheApisAre) {
    for (auto [mode, fatal] : {std::pair{mock::Hostile::bad_names, false}, std::pair{mock::Hostile::no_token, true},
                               std::pair{mock::Hostile::repeat_marker, true}}) {
        auto opts = testkit::catalog_of(2500);
        opts.hostile = mode;
        testkit::MockServer server(opts);
        testkit::TempDir dir("s3-hostile");
        auto job = bucket_job(server.endpoint(), false);
        job.sink = {client::SinkConfig::Kind::files, dir.path()};
        auto result = strategies::find("async")->run(job);
        EXPECT_EQ(result.stats.fatal, fatal) << mock::to_string(mode) << ": " << result.stats.first_error;
        EXPECT_GT(result.stats.failures[static_cast<int>(client::Stage::protocol)], 0u) << mock::to_string(mode);
        // Nothing outside the tree, nothing unsafe in it: what was written is whole.
        const harness::DiskScan scan = harness::scan_files(dir.path());
        EXPECT_EQ(scan.stray, 0u) << scan.first_stray;
        EXPECT_EQ(scan.digest.count, result.stats.files);
        if (!fatal) {
            EXPECT_EQ(result.stats.files, 2500u);
        }
    }
}

TEST(S3Bucket, ABodyThatIsNotItsETagIsNeverStored) {
    auto opts = testkit::catalog_of(100);
    opts.hostile = mock::Hostile::wrong_size;  // files 7, 27, ...: a byte off, their ETags the true bytes'
    testkit::MockServer server(opts);
    testkit::TempDir dir("s3-etag");
    auto job = bucket_job(server.endpoint(), false);
    job.client.file_size = 0;  // any size: only the ETag can tell
    job.sink = {client::SinkConfig::Kind::files, dir.path()};
    auto result = strategies::find("sync")->run(job);
    EXPECT_EQ(result.stats.files, 95u);
    EXPECT_EQ(result.stats.failures[static_cast<int>(client::Stage::protocol)], 5u);
    EXPECT_NE(std::string(result.stats.first_error).find("MD5 is not its ETag"), std::string::npos)
        << result.stats.first_error;
}
