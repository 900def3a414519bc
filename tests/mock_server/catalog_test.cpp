// The catalog rules: names, contents, tokens.
#include <gtest/gtest.h>

#include <set>

#include "client/http/names.hpp"
#include "mock_server/catalog.hpp"

using billion::mock::Catalog;

TEST(Catalog, NamesAreValidUniqueAndParseBack) {
    Catalog c{.files = 5000};
    std::set<std::string> seen;
    for (std::uint64_t i = 0; i < c.files; ++i) {
        auto n = c.name(i);
        EXPECT_TRUE(billion::client::valid_name(n)) << n;
        EXPECT_TRUE(seen.insert(n).second);
        EXPECT_EQ(c.index_of(n), i);
    }
    EXPECT_EQ(c.name(42), "file-0000000042.bin");
    EXPECT_FALSE(c.index_of("file-0000005000.bin"));  // beyond the catalog
    EXPECT_FALSE(c.index_of("file-42.bin"));
    EXPECT_FALSE(c.index_of("../etc/passwd"));
}

TEST(Catalog, ContentIsDeterministicAndDependsOnSeedAndIndex) {
    Catalog a{.files = 10}, b{.files = 10, .seed = 43};
    EXPECT_EQ(a.content(3), a.content(3));
    EXPECT_EQ(a.content(3).size(), 100u);
    EXPECT_NE(a.content(3), a.content(4));
    EXPECT_NE(a.content(3), b.content(3));
    Catalog odd{.files = 10, .file_size = 13};
    EXPECT_EQ(odd.content(1).size(), 13u);
    EXPECT_EQ(odd.content(1), a.content(1).substr(0, 13));  // the same byte stream, cut shorter
}

TEST(Catalog, TokensRoundTripAndForgeriesAreRefused) {
    Catalog c{.files = 10000, .page_size = 1000};
    for (std::uint64_t off = 1000; off < c.files; off += 1000)
        EXPECT_EQ(c.decode(c.token(off)), off);
    std::string t = c.token(3000);
    EXPECT_FALSE(c.decode(""));
    EXPECT_FALSE(c.decode("garbage"));
    EXPECT_FALSE(c.decode("bb8.0000000000000000"));
    std::string edited = t;
    edited[0] = edited[0] == '1' ? '2' : '1';  // another offset, same tag
    EXPECT_FALSE(c.decode(edited));
    std::string tag_edited = t;
    tag_edited.back() = tag_edited.back() == '0' ? '1' : '0';
    EXPECT_FALSE(c.decode(tag_edited));
    EXPECT_FALSE(c.decode(t + "0"));
    // Not a page start, or outside the catalog, even with a matching tag.
    EXPECT_FALSE(c.decode(c.token(1500)));
    EXPECT_FALSE(c.decode(c.token(10000)));
    EXPECT_FALSE(c.decode(c.token(0)));
    // A token of another catalog (other seed) is refused.
    Catalog other{.files = 10000, .page_size = 1000, .seed = 7};
    EXPECT_FALSE(c.decode(other.token(3000)));
}
