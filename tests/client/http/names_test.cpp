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
