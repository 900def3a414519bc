// The results JSON keeps the shape pinned in golden/results_shape.json (results/SCHEMA.md).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "harness/report/results_json.hpp"
#include "tests/support/records.hpp"

using namespace billion;
using testkit::sample_record;

using json = nlohmann::json;

namespace {
// Every key with the type of its value; arrays by the shape of their first element.
json shape(const json& j) {
    if (j.is_object()) {
        json s = json::object();
        for (auto& [k, v] : j.items())
            s[k] = shape(v);
        return s;
    }
    if (j.is_array()) return j.empty() ? json::array() : json::array({shape(j[0])});
    if (j.is_number()) return "number";
    return j.type_name();
}

}  // namespace

TEST(ResultsJson, JsonShapeMatchesTheGolden) {
    // Two sizes, so the shape pins the fits too.
    auto twice = sample_record();
    twice.result.stats.files = 2000;
    twice.wall_s = 0.9;
    auto j = harness::results_json(json{{"strategies", {"sync"}}}, {sample_record(), twice});
    std::ifstream f(std::string(BILLION_GOLDEN) + "/results_shape.json");
    ASSERT_TRUE(f) << "golden file missing";
    json golden = json::parse(f);
    EXPECT_EQ(shape(j), golden) << "new shape:\n" << shape(j).dump(2);
    EXPECT_EQ(j["schema"], harness::kSchema);
}

// Every key of the pinned shape, as "a.b.c" paths.
void keys_of(const json& j, std::vector<std::string>& out) {
    if (j.is_array()) {
        if (!j.empty()) keys_of(j[0], out);
        return;
    }
    if (!j.is_object()) return;
    for (auto& [k, v] : j.items()) {
        out.push_back(k);
        keys_of(v, out);
    }
}

TEST(ResultsJson, SchemaDocumentsEveryKeyTheCodeWrites) {
    std::ifstream g(std::string(BILLION_GOLDEN) + "/results_shape.json");
    std::ifstream d(BILLION_SCHEMA_MD);
    ASSERT_TRUE(g && d);
    const std::string schema((std::istreambuf_iterator<char>(d)), std::istreambuf_iterator<char>());
    std::vector<std::string> keys;
    keys_of(json::parse(g), keys);
    for (const auto& k : keys)
        EXPECT_NE(schema.find("`" + k + "`"), std::string::npos) << "results/SCHEMA.md does not mention `" << k << "`";
}

TEST(ResultsJson, ProjectionIsPerRequestTimesABillion) {
    auto j = harness::run_json(sample_record());
    EXPECT_DOUBLE_EQ(j["per_request_ms"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(j["projected_1e9"]["seconds"].get<double>(), 0.5e6);
    EXPECT_DOUBLE_EQ(j["projected_1e9"]["days"].get<double>(), 0.5e6 / 86400);
    EXPECT_EQ(j["latency_us"]["load"], "closed-loop");
}

TEST(ResultsJson, TokenChainCeilingIsOnePagePerStep) {
    harness::RunRecord r;
    r.wall_s = 0.1;
    auto& s = r.result.stats;
    EXPECT_TRUE(harness::token_chain_json(r).is_null());  // no chain: sync, threads, processes, async
    s.pages = 10;
    for (int i = 0; i < 5000; ++i)
        s.listed.add_name(std::to_string(i));
    s.chain_steps = 10;
    s.chain_step_ns = std::uint64_t{10} * 2'000'000;  // 2 ms a step
    auto j = harness::token_chain_json(r);
    EXPECT_DOUBLE_EQ(r.token_chain()->busy, 0.2);  // 20 ms of steps in a 100 ms run
    EXPECT_EQ(j["steps"], 10);
    EXPECT_DOUBLE_EQ(j["step_us"].get<double>(), 2000);
    EXPECT_DOUBLE_EQ(j["files_per_page"].get<double>(), 500);
    EXPECT_DOUBLE_EQ(j["ceiling_files_per_s"].get<double>(), 250000);  // 500 files every 2 ms
}
