// A list of URLs as the listing: what is supported, every hostile line refused with its line
// number, pages as byte ranges of the file.
#include "client/http/url_list.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "client/http/listing.hpp"
#include "tests/support/temp_dir.hpp"

using namespace billion::client;

namespace {

struct Urls {
    billion::testkit::TempDir dir{"url-list"};
    std::string file = (dir.path() / "urls.txt").string();
    explicit Urls(const std::string& text) { std::ofstream(file) << text; }
    // The list, or why it was refused.
    billion::client::Expected<UrlList> open() const { return open_url_list(file); }
    std::string refused() const {
        auto r = open();
        return r ? "(accepted)" : r.error();
    }
};

}  // namespace

TEST(UrlList, OneHostOneDirectoryCommentsAndBlankLines) {
    Urls u(
        "# my files\n\nhttp://127.0.0.1:8080/data/a.bin\n  http://127.0.0.1:8080/data/b%2Ebin  \r\n"
        "http://127.0.0.1:8080/data/c.bin");
    auto r = u.open();
    ASSERT_TRUE(r) << r.error();
    const auto& list = r.value();
    EXPECT_EQ(list.server.url(), "http://127.0.0.1:8080");
    EXPECT_EQ(list.prefix, "/data/");
    EXPECT_EQ(list.count, 3u);
    auto page = read_url_page(list.file, "", NameRule::contract);
    ASSERT_TRUE(page) << page.error();
    EXPECT_EQ(page.value().names, (std::vector<std::string>{"a.bin", "b.bin", "c.bin"}));  // decoded
    EXPECT_FALSE(page.value().next);
}

TEST(UrlList, EveryHostileLineIsRefusedWithItsLine) {
    const std::string ok = "http://127.0.0.1:8080/get/a.bin\n";
    const std::pair<const char*, const char*> cases[] = {
        {"https://127.0.0.1/get/b.bin", "urls.txt:2: scheme https:// is not supported (http:// only)"},
        {"ftp://h/b", "scheme ftp:// is not supported"},
        {"127.0.0.1:8080/get/b.bin", "not a URL"},
        {"http://127.0.0.1:8080", "no file name"},
        {"http://127.0.0.1:8080/get/", "no file name (the URL ends with /)"},
        {"http://127.0.0.1:8080/get/..", "'..' is not a file name"},
        {"http://127.0.0.1:8080/get/%2e%2e", "'..' is not a file name"},
        {"http://127.0.0.1:8080/get/a%2Fb", "'a/b' is not a file name"},
        {"http://127.0.0.1:8080/get/%zz", "a broken percent-escape"},
        {"http://127.0.0.1:8080/get/../etc/passwd", "a . or .. in the directory is not supported"},
        {"http://127.0.0.1:8080/get/b.bin?sig=1", "a query or fragment is not supported"},
        {"http://127.0.0.1:9090/get/b.bin",
         "another server (http://127.0.0.1:9090, the list's is "
         "http://127.0.0.1:8080): one host only"},
        {"http://127.0.0.1:8080/other/b.bin", "another directory (/other/, the list's is /get/): one directory only"},
        {"http://127.0.0.1:8080/x/../get/a.bin", "a . or .. in the directory"},
        {"http://127.0.0.1:8080/get/a.bin", "urls.txt:2: the same file name as line 1 (each name is stored once)"},
    };
    for (const auto& [line, why] : cases) {
        Urls u(ok + line + "\n");
        EXPECT_NE(u.refused().find(why), std::string::npos) << line << " -> " << u.refused();
    }
    EXPECT_NE(Urls("# nothing\n\n").refused().find("holds no URL"), std::string::npos);
    EXPECT_FALSE(open_url_list("/nonexistent/urls.txt"));
}

// Pages of kUrlsPerPage names, each token the byte offset where the page starts: the walk
// covers every line once, and a token that is not an offset is refused.
TEST(UrlList, PagesAreRangesOfTheFile) {
    std::string text = "# header\n";
    for (int i = 0; i < 2500; ++i)
        text += "http://127.0.0.1:1/f/file_" + std::to_string(i) + ".bin\n" + (i % 7 ? "" : "\n");
    Urls u(text);
    WorkerStats stats;
    ClientConfig config;
    config.urls_file = u.file;
    PageWalk walk;
    std::vector<std::size_t> sizes;
    std::size_t total = 0;
    while (auto token = walk.pending()) {
        auto page = list_urls(config, *token, stats);
        ASSERT_TRUE(page) << stats.first_error;
        sizes.push_back(page->names.size());
        total += page->names.size();
        follow(walk, *page, stats);
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1000, 1000, 500}));
    EXPECT_EQ(total, 2500u);
    EXPECT_EQ(stats.listed.count, 2500u);
    EXPECT_EQ(stats.pages, 3u);
    EXPECT_EQ(stats.failed(), 0u);
    EXPECT_FALSE(list_urls(config, "12x", stats));
    EXPECT_TRUE(stats.fatal);
}
