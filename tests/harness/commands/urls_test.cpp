// --urls FILE end to end: every strategy stores exactly the listed files, a stopped run
// resumes, sizes are held to --file-size, and bad lists are refused before anything runs.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "mock_server/catalog.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

namespace fs = std::filesystem;
using billion::testkit::run_billion;

namespace {

// A list of every third file of the server's catalog (of `files`), as /get/ URLs; their names.
std::set<std::string> write_urls(const std::string& path, const billion::testkit::MockServer& server,
                                 std::uint64_t files) {
    billion::mock::Catalog catalog{.files = files};
    std::set<std::string> names;
    std::ofstream f(path);
    f << "# every third file\n";
    for (std::uint64_t i = 0; i < files; i += 3) {
        f << server.endpoint().url() << "/get/" << catalog.name(i) << "\n";
        names.insert(catalog.name(i));
    }
    return names;
}

// The names of the regular files under dir, each checked to hold size bytes.
std::set<std::string> stored(const fs::path& dir, std::uintmax_t size = 100) {
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) {
            EXPECT_EQ(e.file_size(), size) << e.path();
            names.insert(e.path().filename().string());
        }
    return names;
}

}  // namespace

TEST(Urls, EveryStrategyStoresExactlyTheListedFiles) {
    billion::testkit::MockServer server(billion::testkit::catalog_of(3000));
    billion::testkit::TempDir scratch("urls-all");
    const auto list = (scratch.path() / "urls.txt").string();
    const auto want = write_urls(list, server, 3000);
    const auto out = scratch.path() / "out";
    auto r = run_billion(
        "compare --strategies sync,threads,processes,async,combo,cluster --processes 2 --ranks 2 "
        "--concurrency 8 --peers curl --urls " +
        list + " --sink files --out " + out.string());
    ASSERT_EQ(r.status, 0) << r.out;
    for (const char* s : {"sync", "threads", "processes", "async", "combo", "cluster", "curl"}) {
        EXPECT_NE(r.out.find(std::string(s) + ": 1000 files"), std::string::npos) << s << "\n" << r.out;
        EXPECT_EQ(stored(out / s), want) << s;
    }
}

TEST(Urls, AStoppedRunResumesToEveryListedFileOnce) {
    auto o = billion::testkit::catalog_of(6000);
    o.latency = std::chrono::milliseconds(2);
    billion::testkit::MockServer server(o);
    billion::testkit::TempDir scratch("urls-resume");
    const auto list = (scratch.path() / "urls.txt").string();
    const auto want = write_urls(list, server, 6000);
    const auto out = (scratch.path() / "out").string();
    billion::testkit::Billion b(
        {"compare", "--strategies", "async", "--concurrency", "4", "--urls", list, "--sink", "files", "--out", out});
    ASSERT_TRUE(b.wait_for("async: running")) << b.err();
    ASSERT_TRUE(b.wait_until([&] { return fs::exists(out + "/async") && stored(out + "/async").size() >= 100; }));
    b.signal(SIGINT);
    EXPECT_EQ(b.finish(), 130) << b.err();
    EXPECT_LT(stored(out + "/async").size(), want.size());
    // A resume knows what it resumes: another list (lines dropped, comments added), or another
    // sink, is refused up front in one line naming the difference, and nothing runs.
    const std::string original = billion::testkit::slurp(list);
    std::string commented = "# a comment\n# another\n";
    commented += original;  // appended: GCC 12 warns, wrongly, of an overlap in "..." + std::string
    for (const std::string& changed : {original.substr(original.find('\n', original.find('\n') + 1) + 1), commented}) {
        std::ofstream(list, std::ios::trunc) << changed;
        auto refused = run_billion("compare --strategies async --urls " + list + " --sink files --out " + out +
                                   " --resume");
        EXPECT_EQ(refused.status, 2) << refused.out;
        EXPECT_NE(refused.out.find("the --urls list changed since the checkpoint was written"), std::string::npos)
            << refused.out;
        EXPECT_EQ(refused.out.find("billion:"), refused.out.rfind("billion:")) << "one line: " << refused.out;
        EXPECT_EQ(refused.out.find("running"), std::string::npos) << refused.out;
    }
    std::ofstream(list, std::ios::trunc) << original;
    auto sqlite = run_billion("compare --strategies async --urls " + list + " --sink sqlite --out " + out + " --resume");
    EXPECT_EQ(sqlite.status, 2) << sqlite.out;
    EXPECT_NE(sqlite.out.find("the checkpoint is for --sink files, not --sink sqlite"), std::string::npos)
        << sqlite.out;
    EXPECT_EQ(sqlite.out.find("running"), std::string::npos) << sqlite.out;
    auto r = run_billion("compare --strategies async --concurrency 16 --urls " + list + " --sink files --out " + out +
                         " --resume");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("resuming at page"), std::string::npos) << r.out;
    EXPECT_EQ(stored(out + "/async"), want);
}

// A byte-order mark before the first line (some editors write one) and a scheme in capitals
// (schemes are case-insensitive) are a list like any other.
TEST(Urls, AByteOrderMarkAndACapitalSchemeAreAccepted) {
    billion::testkit::MockServer server(billion::testkit::catalog_of(30));
    billion::testkit::TempDir scratch("urls-bom");
    const auto list = (scratch.path() / "urls.txt").string();
    billion::mock::Catalog catalog{.files = 30};
    {
        std::ofstream f(list);
        f << "\xEF\xBB\xBF" << server.endpoint().url() << "/get/" << catalog.name(0) << "\n";
        std::string url = server.endpoint().url();
        url.replace(0, 4, "HTTP");
        for (std::uint64_t i = 1; i < 30; ++i)
            f << url << "/get/" << catalog.name(i) << "\n";
    }
    const auto out = scratch.path() / "out";
    auto r = run_billion("compare --strategies async,combo --urls " + list + " --sink files --out " + out.string());
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(stored(out / "async").size(), 30u);
    EXPECT_EQ(stored(out / "combo").size(), 30u);
}

TEST(Urls, FilesOfAnotherSizeThanFileSizeAreNeverStored) {
    billion::testkit::MockServer server(billion::testkit::catalog_of(300));
    billion::testkit::TempDir scratch("urls-size");
    const auto list = (scratch.path() / "urls.txt").string();
    write_urls(list, server, 300);
    auto r = run_billion("compare --strategies sync --urls " + list + " --file-size 333");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("wrong size: 100 bytes, expected 333"), std::string::npos) << r.out;
    EXPECT_EQ(run_billion("compare --strategies sync --urls " + list).status, 0);
}

TEST(Urls, ABadListIsOneLineAndExit2BeforeAnythingRuns) {
    billion::testkit::TempDir scratch("urls-bad");
    const auto list = (scratch.path() / "urls.txt").string();
    std::ofstream(list) << "http://127.0.0.1:1/get/a.bin\nhttps://127.0.0.1:1/get/b.bin\n";
    for (const std::string& args : {"compare --strategies sync --urls " + list,
                                    std::string("compare --strategies sync --urls /nonexistent/urls.txt")}) {
        auto r = run_billion(args);
        EXPECT_EQ(r.status, 2) << r.out;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
        EXPECT_EQ(r.out.find("running"), std::string::npos) << r.out;
    }
    EXPECT_NE(run_billion("compare --strategies sync --urls " + list).out.find("urls.txt:2: scheme https://"),
              std::string::npos);
    std::ofstream(list) << "http://127.0.0.1:1/get/a.bin\n";
    EXPECT_EQ(run_billion("compare --strategies sync --files 10 --urls " + list).status, 2);
    EXPECT_EQ(run_billion("compare --strategies sync --url http://127.0.0.1:1 --urls " + list).status, 2);
    EXPECT_NE(run_billion("compare --strategies sync --peers python --urls " + list).out.find("walk the API"),
              std::string::npos);
}
