// A result names the commit of the code that measured it and the command line that made it.
#include <gtest/gtest.h>

#include "harness/report/provenance.hpp"

using namespace billion;

TEST(Provenance, TheCommandLineIsRecordedAsAShellWouldTakeItBack) {
    const char* argv[] = {"/work/build/harness/billion", "compare", "--latency", "0,5ms", "--s3",
                          "http://127.0.0.1:9/b/it's here"};
    harness::record_command(6, argv);
    EXPECT_EQ(harness::command_line(),
              "billion compare --latency 0,5ms --s3 'http://127.0.0.1:9/b/it'\\''s here'");
    EXPECT_NE(harness::provenance_line().find(": billion compare --latency"), std::string::npos);
}

TEST(Provenance, TheCodeIsACommitAndWhetherTheMeasuredCodeDifferedFromIt) {
    const auto code = harness::code_json();
    ASSERT_TRUE(code["commit"].is_string());
    ASSERT_TRUE(code["dirty"].is_boolean());
    const std::string commit = code["commit"];
    // Built from a checkout: 40 hex digits; from an unpacked archive: "unknown".
    EXPECT_TRUE(commit == "unknown" ||
                (commit.size() == 40 && commit.find_first_not_of("0123456789abcdef") == std::string::npos))
        << commit;
    EXPECT_EQ(harness::provenance_line().rfind("code " + commit.substr(0, 12), 0), 0u) << harness::provenance_line();
}
