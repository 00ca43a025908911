#include "auth/validation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::auth {
namespace {

using base::Code;

TEST(Email, IsTrimmedAndLowerCasedWhole) {
  auto r = normalize_email("  Alice.Smith+Tag@Example.COM \t");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(*r, "alice.smith+tag@example.com");
  EXPECT_EQ(*normalize_email("BOB@SUB.Example.org"), "bob@sub.example.org");
}

TEST(Email, RejectsInvalidAddressesWithTheEmailField) {
  for (std::string bad : {"", "   ", "no-at-sign", "a@b", "a@@b.com", "a@b@c.com", ".a@b.com", "a.@b.com",
                          "a..b@c.com", "a@-b.com", "a@b-.com", "a@b..com", "a@.b.com", "a b@c.com",
                          "\xc3\xa4@b.com", "a@b_c.com", "@b.com", "a@"}) {
    auto r = normalize_email(bad);
    EXPECT_FALSE(r.ok()) << "accepted: " << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::BadRequest);
      EXPECT_EQ(r.status().field(), "email");
    }
  }
  EXPECT_FALSE(normalize_email(std::string(65, 'a') + "@b.com").ok());
  EXPECT_TRUE(normalize_email(std::string(64, 'a') + "@b.com").ok());
  EXPECT_FALSE(normalize_email("a@" + std::string(250, 'b') + ".com").ok());
}

TEST(Password, LengthCountsCodePointsNotBytes) {
  EXPECT_EQ(validate_password("123456789", nullptr).code(), Code::BadRequest);  // 9
  EXPECT_TRUE(validate_password("correcthor", nullptr).is_ok());                // 10
  std::string e_acute = "\xc3\xa9";
  std::string nine, ten;
  for (int i = 0; i < 9; ++i) nine += e_acute;  // 18 bytes, 9 code points
  ten = nine + e_acute;
  EXPECT_EQ(validate_password(nine, nullptr).code(), Code::BadRequest);
  EXPECT_TRUE(validate_password(ten, nullptr).is_ok());
  std::string max(256, 'x'), over(257, 'x');
  EXPECT_TRUE(validate_password(max, nullptr).is_ok());
  auto st = validate_password(over, nullptr);
  EXPECT_EQ(st.code(), Code::BadRequest);
  EXPECT_EQ(st.field(), "password");
  // 256 four-byte code points (1024 bytes) are fine.
  std::string emoji;
  for (int i = 0; i < 256; ++i) emoji += "\xf0\x9f\x98\x80";
  EXPECT_TRUE(validate_password(emoji, nullptr).is_ok());
}

TEST(Password, RejectsInvalidUtf8) {
  for (std::string bad : {std::string("abcdefghij\xff"), std::string("abcdefghij\xc0\xaf"),  // overlong '/'
                          std::string("abcdefghij\xed\xa0\x80"),                          // surrogate
                          std::string("abcdefghij\xf4\x90\x80\x80"),                      // > U+10FFFF
                          std::string("abcdefghij\xe2\x82")}) {                           // truncated
    auto st = validate_password(bad, nullptr);
    EXPECT_EQ(st.code(), Code::BadRequest);
    EXPECT_EQ(st.field(), "password");
    EXPECT_NE(st.message().find("UTF-8"), std::string::npos);
  }
}

TEST(Password, CommonListIsCaseInsensitive) {
  auto common = CommonPasswords::from_text("1234567890\nQwertyuiop\r\n\nbaseball12\n");
  EXPECT_EQ(common.size(), 3u);
  EXPECT_EQ(validate_password("qwertyUIOP", &common).code(), Code::BadRequest);
  EXPECT_EQ(validate_password("BASEBALL12", &common).message(), "password is too common");
  EXPECT_TRUE(validate_password("basebal123", &common).is_ok());
}

TEST(Password, ShippedCommonListLoads) {
  auto common = CommonPasswords::load(std::string(PARLEY_SOURCE_DIR) + "/data/common-passwords.txt");
  ASSERT_TRUE(common.ok()) << common.status().to_string();
  EXPECT_GT(common->size(), 3000u);
  EXPECT_TRUE(common->contains("1234567890"));
  EXPECT_TRUE(common->contains("QWERTYUIOP"));
  EXPECT_FALSE(common->contains("a quite unusual passphrase"));
  EXPECT_FALSE(CommonPasswords::load("/nonexistent/list.txt").ok());
}

TEST(DisplayName, IsTrimmedAndBounded) {
  EXPECT_EQ(*normalize_display_name("  Ada Lovelace \n"), "Ada Lovelace");
  std::string name64;
  for (int i = 0; i < 64; ++i) name64 += "\xc3\xa9";
  EXPECT_TRUE(normalize_display_name(name64).ok());
  auto over = normalize_display_name(name64 + "x");
  EXPECT_EQ(over.status().code(), Code::BadRequest);
  EXPECT_EQ(over.status().field(), "displayName");
  EXPECT_FALSE(normalize_display_name("").ok());
  EXPECT_FALSE(normalize_display_name(" \t ").ok());
}

TEST(DisplayName, RejectsControlCharactersAndBadUtf8) {
  for (std::string bad : {std::string("Bell\x07"), std::string("Del\x7f"), std::string("Nel\xc2\x85"),
                          std::string("a\nb"), std::string("evil\xe2\x80\xaegnp.exe"), std::string("x\xff"),
                          std::string("nul\0x", 5)}) {
    auto r = normalize_display_name(bad);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.status().field(), "displayName");
    }
  }
  EXPECT_TRUE(normalize_display_name("Zo\xc3\xab \xf0\x9f\x98\x80").ok());
}

}  // namespace
}  // namespace parley::auth
