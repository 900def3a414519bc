// Page parsing and the token chain.
#include <gtest/gtest.h>

#include "client/http/listing.hpp"
#include "client/http/page.hpp"

using namespace billion::client;

TEST(Page, ParsesNamesAndNextMarker) {
    auto r = parse_page(R"({"FileNames": ["a", "b.bin"], "NextMarker": "x y"})");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r.value().names, (std::vector<std::string>{"a", "b.bin"}));
    EXPECT_EQ(r.value().next, "x y");
    auto last = parse_page(R"({"FileNames": []})");
    ASSERT_TRUE(last);
    EXPECT_TRUE(last.value().names.empty());
    EXPECT_FALSE(last.value().next);
}

TEST(Page, RefusesBrokenPages) {
    EXPECT_EQ(parse_page("{not json").error(), "malformed JSON in page");
    EXPECT_EQ(parse_page(R"({"NextMarker": "x"})").error(), "page has no FileNames");
    EXPECT_EQ(parse_page(R"([1,2])").error(), "page is not a JSON object");
    EXPECT_EQ(parse_page(R"({"FileNames": "a"})").error(), "FileNames is not an array");
    EXPECT_FALSE(parse_page(R"({"FileNames": [], "NextMarker": 5})"));
    EXPECT_FALSE(parse_page(R"({"FileNames": [], "NextMarker": ""})"));
    EXPECT_FALSE(parse_page(R"({"FileNames": [], "NextMarker": ["x"]})"));
    EXPECT_EQ(parse_page(R"({"FileNames": [], "NextMarker": "x")").error(), "malformed JSON in page");
    EXPECT_EQ(parse_page("{\"FileNames\": [\"\xff\"]}").error(), "malformed JSON in page");  // not UTF-8
}

// The token chain hands the marker on as soon as the page's shape is read: the callback hears
// it once for every page parse_page returns (names refused or not), never for a refused page.
TEST(Page, TheMarkerIsToldOnlyForAPageThatIsReturned) {
    std::vector<std::optional<std::string>> told;
    const MarkerSeen seen = [&](const std::optional<std::string>& next) { told.push_back(next); };
    EXPECT_TRUE(parse_page(R"({"FileNames": ["a"], "NextMarker": "x"})", NameRule::contract, seen));
    EXPECT_TRUE(parse_page(R"({"FileNames": ["../up", 7]})", NameRule::contract, seen));  // the last page
    ASSERT_EQ(told.size(), 2u);
    EXPECT_EQ(told[0], "x");
    EXPECT_FALSE(told[1]);
    for (const char* broken :
         {"{not json", R"({"NextMarker": "x"})", R"({"FileNames": "a", "NextMarker": "x"})",
          R"({"FileNames": [], "NextMarker": 5})", R"({"NextMarker": "x", "FileNames": [], "FileNames": []})"})
        EXPECT_FALSE(parse_page(broken, NameRule::contract, seen)) << broken;
    EXPECT_EQ(told.size(), 2u);
}

TEST(Page, AKeyTwiceIsRefusedNotGuessed) {
    // Which of two FileNames (or NextMarkers) a server meant is not for the client to guess.
    EXPECT_EQ(parse_page(R"({"FileNames": ["a"], "FileNames": ["b"]})").error(), "page has FileNames twice");
    EXPECT_EQ(parse_page(R"({"FileNames": [], "NextMarker": "x", "NextMarker": "y"})").error(),
              "page has NextMarker twice");
}

TEST(Page, OtherKeysAreIgnoredAndNullEndsTheListing) {
    auto r = parse_page(R"({"Extra": {"FileNames": 5}, "FileNames": ["a"], "NextMarker": null})");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r.value().names, std::vector<std::string>{"a"});
    EXPECT_FALSE(r.value().next);
}

TEST(Page, EscapedNamesAreDecodedBeforeTheRule) {
    auto r = parse_page(R"({"FileNames": ["a\u002ebin", "b\/c"], "NextMarker": "n\u00e9xt"})");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r.value().names, std::vector<std::string>{"a.bin"});  // "b/c" breaks the rule
    EXPECT_EQ(r.value().first_rejected, "b/c");
    EXPECT_EQ(r.value().next, "n\xc3\xa9xt");
}

TEST(Page, InvalidNamesAreRefusedOneByOne) {
    auto r = parse_page(R"({"FileNames": ["ok", "../up", "/abs", "a\u0000b", "", 7, "fine"]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().names, (std::vector<std::string>{"ok", "fine"}));
    EXPECT_EQ(r.value().rejected, 5u);
    EXPECT_EQ(r.value().first_rejected, "../up");
    auto nested = parse_page(R"({"FileNames": [{"a": 1}, ["b"], "c"]})");
    ASSERT_TRUE(nested);
    EXPECT_EQ(nested.value().names, std::vector<std::string>{"c"});
    EXPECT_EQ(nested.value().rejected, 2u);
    EXPECT_EQ(nested.value().first_rejected, R"({"a":1})");
}

TEST(Page, ReadPageCountsListedAndRefusedNames) {
    WorkerStats stats;
    Exchange e;
    e.status = 200;
    e.body = R"({"FileNames": ["a", "b/c"]})";
    auto page = read_page(e, stats);
    ASSERT_TRUE(page);
    EXPECT_EQ(stats.pages, 1u);
    EXPECT_EQ(stats.listed.count, 1u);
    EXPECT_EQ(stats.failures[static_cast<int>(Stage::protocol)], 1u);
    EXPECT_NE(std::string(stats.first_error).find("b/c"), std::string::npos);
}

TEST(Page, ANameTwiceOnOnePageIsKeptOnce) {
    WorkerStats stats;
    Exchange e;
    e.status = 200;
    e.body = R"({"FileNames": ["a", "b", "a", "c", "b", "a"]})";
    auto page = read_page(e, stats);
    ASSERT_TRUE(page) << page.error();
    EXPECT_EQ(page.value().names, (std::vector<std::string>{"a", "b", "c"}));  // the first of each, in order
    EXPECT_EQ(stats.listed.count, 3u);
    EXPECT_EQ(stats.failures[static_cast<int>(Stage::protocol)], 3u);
    EXPECT_NE(std::string(stats.first_error).find("listed 'a' twice on one page"), std::string::npos)
        << stats.first_error;
}

TEST(PageWalk, FollowsTokensAndRefusesALoop) {
    PageWalk walk;
    EXPECT_EQ(walk.pending(), "");
    EXPECT_TRUE(walk.advance(std::string("t1")));
    EXPECT_EQ(walk.pending(), "t1");
    EXPECT_TRUE(walk.advance(std::string("t2")));
    auto loop = walk.advance(std::string("t1"));
    ASSERT_FALSE(loop);
    EXPECT_NE(loop.error().find("repeats"), std::string::npos);
    EXPECT_TRUE(walk.done());
    PageWalk end;
    EXPECT_TRUE(end.advance(std::nullopt));
    EXPECT_TRUE(end.done());
}

TEST(PageWalk, ALoopLongerThanItRemembersIsStillCaughtSoon) {
    // 5,000 distinct tokens, then the listing starts over: longer than the exact memory of
    // recent tokens, caught by the checkpoint within about twice the loop's length.
    const int loop = 5000;
    PageWalk walk;
    std::string error;
    int pages = 0;
    for (; pages < 4 * loop; ++pages)
        if (auto moved = walk.advance(std::to_string(pages % loop)); !moved) {
            error = moved.error();
            break;
        }
    EXPECT_LT(pages, 3 * loop) << "a loop of " << loop << " pages went unnoticed";
    EXPECT_GE(pages, loop);  // no false alarm before the first repeat
    EXPECT_NE(error.find("repeats an earlier one"), std::string::npos) << error;
}

TEST(PageWalk, EndlessEmptyPagesAreRefused) {
    PageWalk walk;
    WorkerStats stats;
    for (std::uint64_t i = 0; i < PageWalk::kMaxEmptyRun + 5 && !walk.done(); ++i) {
        Page empty;
        empty.next = std::to_string(i) + "t";
        follow(walk, empty, stats);
    }
    EXPECT_TRUE(walk.done());
    EXPECT_TRUE(stats.fatal);
    EXPECT_NE(std::string(stats.first_error).find("empty pages in a row"), std::string::npos);
}
