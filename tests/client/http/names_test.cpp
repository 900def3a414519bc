// The name rule of API.md.
#include <gtest/gtest.h>

#include "client/http/names.hpp"

using billion::client::valid_name;

TEST(Names, AcceptsTheApiCharacterSet) {
    EXPECT_TRUE(valid_name("a"));
    EXPECT_TRUE(valid_name("file-0001.bin"));
    EXPECT_TRUE(valid_name("A_b.c-9"));
    EXPECT_TRUE(valid_name("..."));
    EXPECT_TRUE(valid_name(std::string(255, 'x')));
}

TEST(Names, RefusesEverythingElse) {
    EXPECT_FALSE(valid_name(""));
    EXPECT_FALSE(valid_name("."));
    EXPECT_FALSE(valid_name(".."));
    EXPECT_FALSE(valid_name("a/b"));
    EXPECT_FALSE(valid_name("/etc/passwd"));
    EXPECT_FALSE(valid_name("../x"));
    EXPECT_FALSE(valid_name(std::string("a\0b", 3)));
    EXPECT_FALSE(valid_name("a b"));
    EXPECT_FALSE(valid_name("é"));
    EXPECT_FALSE(valid_name(std::string(256, 'x')));
}

// --names any: any one safe path component; what could escape the directory, or break a
// one-line report or the processes strategy's name framing, is refused as before.
TEST(Names, TheWideRuleTakesAnySafePathComponent) {
    using billion::client::NameRule;
    for (std::string ok : {"a b", "q?mark", "hash#tag", "pct%41", "plus+sign", "\xc3\xa9\xe4\xb8\xad", "...", "a\\b"})
        EXPECT_TRUE(valid_name(ok, NameRule::any)) << ok;
    EXPECT_TRUE(valid_name(std::string(255, 'x'), NameRule::any));
    for (std::string bad : {"", ".", "..", "a/b", "/abs", "../up", "tab\there", "line\nbreak", "del\x7f"})
        EXPECT_FALSE(valid_name(bad, NameRule::any)) << bad;
    EXPECT_FALSE(valid_name(std::string("nul\0x", 5), NameRule::any));
    EXPECT_FALSE(valid_name(std::string(256, 'x'), NameRule::any));
}
