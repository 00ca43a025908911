#include <gtest/gtest.h>

#include <set>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/status.hpp"
#include "base/ulid.hpp"

namespace parley::base {
namespace {

TEST(Ulid, SortableUniqueAndMonotonicWithinAMillisecond) {
  ManualClock clock;
  SeededRandom rng(1);
  UlidGenerator gen(clock, rng);
  std::string prev;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    if (i % 100 == 0) clock.advance_ms(1);
    auto id = gen.next();
    ASSERT_TRUE(is_valid_ulid(id)) << id;
    EXPECT_GT(id, prev);
    EXPECT_TRUE(seen.insert(id).second);
    prev = id;
  }
  EXPECT_EQ(ulid_time_ms(prev), clock.now_ms());
}

TEST(Ulid, RejectsMalformed) {
  EXPECT_FALSE(is_valid_ulid(""));
  EXPECT_FALSE(is_valid_ulid("01ARZ3NDEKTSV4RRFFQ69G5FA"));    // 25
  EXPECT_FALSE(is_valid_ulid("81ARZ3NDEKTSV4RRFFQ69G5FAV"));   // overflow
  EXPECT_FALSE(is_valid_ulid("01ARZ3NDEKTSV4RRFFQ69G5FAU"));   // U is not Crockford
  EXPECT_TRUE(is_valid_ulid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));    // the spec's example
}

TEST(Base64Url, Rfc4648Vectors) {
  EXPECT_EQ(base64url_encode(std::string_view("")), "");
  EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64url_encode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64url_encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode(std::string_view("\xfb\xff")), "-_8");
  std::string out;
  EXPECT_TRUE(base64url_decode("Zm9vYmE", out));
  EXPECT_EQ(out, "fooba");
  EXPECT_TRUE(base64url_decode("Zm9vYg==", out));
  EXPECT_EQ(out, "foob");
  EXPECT_FALSE(base64url_decode("Zm9v+", out));
  EXPECT_FALSE(base64url_decode("Z", out));
  EXPECT_FALSE(base64url_decode("Zh", out));  // non-canonical trailing bits
}

TEST(Clock, FormatsRfc3339) {
  EXPECT_EQ(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(1795041536123), "2026-11-18T22:38:56.123Z");
}

TEST(Status, ResultCarriesValueOrError) {
  Result<int> ok = 3;
  Result<int> bad = Status::not_found("nope");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::NotFound);
  EXPECT_EQ(bad.status().to_string(), "NOT_FOUND: nope");
  auto f = [](Result<int> r) -> Result<int> {
    PARLEY_ASSIGN_OR_RETURN(int v, std::move(r));
    return v + 1;
  };
  EXPECT_EQ(*f(ok), 4);
  EXPECT_EQ(f(bad).error().code(), Code::NotFound);
}

}  // namespace
}  // namespace parley::base

#include "base/utf8.hpp"

namespace parley::base {
namespace {
TEST(Utf8, SequenceLengthFollowsRfc3629) {
  EXPECT_EQ(utf8_sequence_length("\xC3\xA9", 0), 2u);          // é
  EXPECT_EQ(utf8_sequence_length("\xE2\x82\xAC", 0), 3u);      // €
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x98\x80", 0), 4u);  // 😀
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence_length("\xE0\x80\xAF", 0), 0u);      // overlong
  EXPECT_EQ(utf8_sequence_length("\xED\xA0\x80", 0), 0u);      // surrogate U+D800
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // beyond U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xE2\x82", 0), 0u);          // truncated
  EXPECT_EQ(utf8_sequence_length("\x80", 0), 0u);              // stray continuation
  std::string out;
  append_utf8(out, 0x1F600);
  EXPECT_EQ(out, "\xF0\x9F\x98\x80");
  std::size_t i = 0;
  EXPECT_EQ(utf8_decode_one(out, i), 0x1F600);
  EXPECT_EQ(i, 4u);
  i = 0;
  EXPECT_EQ(utf8_decode_one("\xED\xA0\x80", i), -1);
  EXPECT_EQ(i, 0u);
  EXPECT_EQ(utf8_code_points("caf\xC3\xA9 \xF0\x9F\x98\x80"), 6);
  EXPECT_EQ(utf8_code_points(""), 0);
  EXPECT_EQ(utf8_code_points("ok\xC0\xAF"), -1);
}
}  // namespace
}  // namespace parley::base
