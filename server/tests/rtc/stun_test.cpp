// STUN against the RFC 5769 test vectors (all four, parsed, verified and
// rebuilt byte for byte), plus malformed input and ICE's own attributes.
#include <gtest/gtest.h>

#include "rtc/demux.hpp"
#include "rtc/stun/stun.hpp"
#include "test_util.hpp"

namespace parley::rtc::stun {
namespace {

using test::hex;

// RFC 5769 section 2.1, "Sample Request" (short-term credentials).
const auto kRequest = hex(R"(
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf)");

// Section 2.2, "Sample IPv4 Response".
const auto kIpv4Response = hex(R"(
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96)");

// Section 2.3, "Sample IPv6 Response".
const auto kIpv6Response = hex(R"(
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c)");

// Section 2.4, "Sample Request with Long-Term Authentication".
const auto kLongTermRequest = hex(R"(
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66)");

constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";
const TransactionId kTid = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
// "マトリックス" in UTF-8.
constexpr std::string_view kMatrixUser = "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";

TEST(Stun, Rfc5769SampleRequest) {
  ASSERT_TRUE(is_stun(kRequest));
  EXPECT_EQ(classify(kRequest), PacketKind::Stun);
  auto m = Message::parse(kRequest);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->method(), kMethodBinding);
  EXPECT_EQ(m->message_class(), Class::Request);
  EXPECT_EQ(m->transaction_id(), kTid);
  EXPECT_EQ(m->software(), "STUN test client");
  EXPECT_EQ(m->username(), "evtj:h6vY");
  EXPECT_EQ(m->priority(), 0x6e0001ffu);
  EXPECT_EQ(m->ice_controlled(), 0x932ff9b151263b36u);
  EXPECT_FALSE(m->ice_controlling().has_value());
  EXPECT_FALSE(m->use_candidate());
  EXPECT_TRUE(m->unknown_required().empty());
  EXPECT_TRUE(m->verify_message_integrity(kPassword));
  EXPECT_FALSE(m->verify_message_integrity(std::string_view("VOkJxbRl1RmTxUk/WvJxBu")));
  EXPECT_TRUE(m->verify_fingerprint());

  // Rebuilt from its parts it comes out byte for byte (padding is spaces).
  MessageBuilder b(kMethodBinding, Class::Request, kTid);
  b.set_padding_byte(0x20)
      .add_software("STUN test client")
      .add_priority(0x6e0001ff)
      .add_ice_controlled(0x932ff9b151263b36)
      .add_username("evtj:h6vY")
      .add_message_integrity(kPassword)
      .add_fingerprint();
  EXPECT_EQ(b.bytes(), kRequest);
}

TEST(Stun, Rfc5769Ipv4Response) {
  auto m = Message::parse(kIpv4Response);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->message_class(), Class::SuccessResponse);
  EXPECT_EQ(m->software(), "test vector");
  auto a = m->xor_mapped_address();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->to_string(), "192.0.2.1:32853");
  EXPECT_TRUE(m->verify_message_integrity(kPassword));
  EXPECT_TRUE(m->verify_fingerprint());

  MessageBuilder b(kMethodBinding, Class::SuccessResponse, kTid);
  b.set_padding_byte(0x20)
      .add_software("test vector")
      .add_xor_mapped_address(*SocketAddress::from_string("192.0.2.1", 32853))
      .add_message_integrity(kPassword)
      .add_fingerprint();
  EXPECT_EQ(b.bytes(), kIpv4Response);
}

TEST(Stun, Rfc5769Ipv6Response) {
  auto m = Message::parse(kIpv6Response);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  auto a = m->xor_mapped_address();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->family, SocketAddress::Family::V6);
  EXPECT_EQ(a->to_string(), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  EXPECT_TRUE(m->verify_message_integrity(kPassword));
  EXPECT_TRUE(m->verify_fingerprint());

  MessageBuilder b(kMethodBinding, Class::SuccessResponse, kTid);
  b.set_padding_byte(0x20)
      .add_software("test vector")
      .add_xor_mapped_address(*SocketAddress::from_string("2001:db8:1234:5678:11:2233:4455:6677", 32853))
      .add_message_integrity(kPassword)
      .add_fingerprint();
  EXPECT_EQ(b.bytes(), kIpv6Response);
}

TEST(Stun, Rfc5769LongTermRequest) {
  auto m = Message::parse(kLongTermRequest);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->username(), kMatrixUser);
  EXPECT_EQ(m->nonce(), "f//499k954d6OL34oL9FSTvy64sA");
  EXPECT_EQ(m->realm(), "example.org");
  EXPECT_FALSE(m->has_fingerprint());
  EXPECT_FALSE(m->verify_fingerprint());
  // The password "TheM<U+00AA>tr<U+2168>" is "TheMatrIX" after SASLprep.
  const auto key = long_term_key(kMatrixUser, "example.org", "TheMatrIX");
  EXPECT_TRUE(m->verify_message_integrity(key));
  EXPECT_FALSE(m->verify_message_integrity(long_term_key(kMatrixUser, "example.org", "thematrix")));

  const TransactionId tid = {0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e};
  MessageBuilder b(kMethodBinding, Class::Request, tid);
  b.add_username(kMatrixUser)
      .add(attr::kNonce, std::string_view("f//499k954d6OL34oL9FSTvy64sA"))
      .add(attr::kRealm, std::string_view("example.org"))
      .add_message_integrity(key);
  EXPECT_EQ(b.bytes(), kLongTermRequest);
}

TEST(Stun, Crc32KnownValue) {
  const std::string_view s = "123456789";  // the CRC-32 check value
  EXPECT_EQ(crc32({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}), 0xCBF43926u);
}

TEST(Stun, IceBindingRequestRoundTrip) {
  const TransactionId tid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  MessageBuilder b(kMethodBinding, Class::Request, tid);
  b.add_username("srvfrag:clifrag")
      .add_priority(1853824767)
      .add_ice_controlling(0x0102030405060708)
      .add_use_candidate()
      .add_message_integrity(std::string_view("server-password-22chars"))
      .add_message_integrity_sha256(std::vector<std::uint8_t>{1, 2, 3})
      .add_fingerprint();
  auto m = Message::parse(b.bytes());
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->username(), "srvfrag:clifrag");
  EXPECT_EQ(m->priority(), 1853824767u);
  EXPECT_EQ(m->ice_controlling(), 0x0102030405060708u);
  EXPECT_TRUE(m->use_candidate());
  EXPECT_TRUE(m->verify_message_integrity(std::string_view("server-password-22chars")));
  EXPECT_TRUE(m->verify_message_integrity_sha256(std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_FALSE(m->verify_message_integrity_sha256(std::vector<std::uint8_t>{1, 2, 4}));
  EXPECT_TRUE(m->verify_fingerprint());

  // Any flipped bit in the covered part breaks both checks.
  for (std::size_t i = 0; i < b.bytes().size() - 8; i += 7) {
    auto copy = b.bytes();
    copy[i] ^= 0x10;
    auto t = Message::parse(copy);
    if (!t.ok()) continue;  // e.g. the length field
    EXPECT_FALSE(t->verify_fingerprint() && t->verify_message_integrity(std::string_view("server-password-22chars")))
        << "byte " << i;
  }
}

TEST(Stun, ErrorResponseAndUnknownAttributes) {
  const TransactionId tid{};
  MessageBuilder b(kMethodBinding, Class::ErrorResponse, tid);
  const std::uint16_t unknown[] = {0x0031, 0x7777};
  b.add_error_code(420, "Unknown Attribute").add_unknown_attributes(unknown).add_fingerprint();
  auto m = Message::parse(b.bytes());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->message_class(), Class::ErrorResponse);
  ASSERT_TRUE(m->error_code().has_value());
  EXPECT_EQ(m->error_code()->code, 420);
  EXPECT_EQ(m->error_code()->reason, "Unknown Attribute");
  EXPECT_EQ(b.bytes()[0], 0x01);  // 0x0111: binding error response
  EXPECT_EQ(b.bytes()[1], 0x11);

  // A request with a comprehension-required attribute we do not know.
  MessageBuilder r(kMethodBinding, Class::Request, tid);
  r.add(0x0031, std::string_view("x")).add(0xC001, std::string_view("optional"));
  auto q = Message::parse(r.bytes());
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->unknown_required().size(), 1u);
  EXPECT_EQ(q->unknown_required()[0], 0x0031);
}

TEST(Stun, MethodAndClassBitsInterleave) {
  const TransactionId tid{};
  for (std::uint16_t method : {0x001, 0x003, 0x00A, 0xFFF}) {
    for (Class c : {Class::Request, Class::Indication, Class::SuccessResponse, Class::ErrorResponse}) {
      MessageBuilder b(method, c, tid);
      auto m = Message::parse(b.bytes());
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(m->method(), method);
      EXPECT_EQ(m->message_class(), c);
    }
  }
}

TEST(Stun, AttributesAfterIntegrityAreIgnored) {
  const TransactionId tid{};
  MessageBuilder b(kMethodBinding, Class::Request, tid);
  b.add_username("a:b").add_message_integrity(std::string_view("k")).add_priority(7);
  auto m = Message::parse(b.bytes());
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->priority().has_value());
  EXPECT_EQ(m->attributes().size(), 2u);
  EXPECT_TRUE(m->verify_message_integrity(std::string_view("k")));
}

TEST(Stun, RejectsMalformed) {
  auto expect_bad = [](std::vector<std::uint8_t> d, const char* what) {
    auto m = Message::parse(d);
    EXPECT_FALSE(m.ok()) << what;
    if (!m.ok()) {
      EXPECT_EQ(m.error().code(), base::Code::BadRequest);
    }
  };
  auto good = kRequest;
  expect_bad({}, "empty");
  expect_bad(std::vector<std::uint8_t>(good.begin(), good.begin() + 19), "short header");
  expect_bad(std::vector<std::uint8_t>(good.begin(), good.end() - 4), "truncated");
  auto d = good;
  d[0] |= 0x80;
  expect_bad(d, "top bits");
  d = good;
  d[4] ^= 1;
  expect_bad(d, "cookie");
  d = good;
  d[3] = 0x59;
  expect_bad(d, "length not multiple of 4");
  d = good;
  d[22] = 0x01;  // SOFTWARE length 0x0110 overruns
  expect_bad(d, "attribute overrun");
  // PRIORITY with a bad length.
  d = good;
  d[43] = 0x08;
  expect_bad(d, "priority length");
  // Attribute after FINGERPRINT.
  d = good;
  d.insert(d.end(), {0x80, 0x22, 0x00, 0x00});
  d[3] = static_cast<std::uint8_t>(d.size() - 20);
  expect_bad(d, "after fingerprint");
  // Too many attributes.
  MessageBuilder many(kMethodBinding, Class::Request, TransactionId{});
  for (int i = 0; i < 40; ++i) many.add(0x8030, std::string_view(""));
  expect_bad(many.bytes(), "too many attributes");
  // Bad XOR-MAPPED-ADDRESS family.
  d = kIpv4Response;
  d[41] = 3;
  expect_bad(d, "family");
  // ERROR-CODE class 2.
  MessageBuilder e(kMethodBinding, Class::ErrorResponse, TransactionId{});
  e.add(attr::kErrorCode, std::vector<std::uint8_t>{0, 0, 2, 0});
  expect_bad(e.bytes(), "error class");
}

TEST(Stun, SniffAndMessageSize) {
  EXPECT_TRUE(is_stun(kIpv6Response));
  EXPECT_EQ(message_size(kIpv6Response), kIpv6Response.size());
  EXPECT_EQ(message_size(std::span<const std::uint8_t>(kIpv6Response).first(10)), 0u);
  std::vector<std::uint8_t> rtp = {0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_FALSE(is_stun(rtp));
  EXPECT_EQ(classify(rtp), PacketKind::Rtp);
  std::vector<std::uint8_t> rtcp = {0x81, 0xC8, 0, 6};
  EXPECT_EQ(classify(rtcp), PacketKind::Rtcp);
  std::vector<std::uint8_t> dtls = {22, 0xfe, 0xfd};
  EXPECT_EQ(classify(dtls), PacketKind::Dtls);
  std::vector<std::uint8_t> junk = {0x40, 0};
  EXPECT_EQ(classify(junk), PacketKind::Unknown);
}

TEST(Stun, SocketAddressText) {
  EXPECT_FALSE(SocketAddress::from_string("not an ip", 1).has_value());
  EXPECT_FALSE(SocketAddress::from_string("fe80::1%eth0", 1).has_value());
  auto a = SocketAddress::from_string("::1", 9);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->to_string(), "[::1]:9");
  EXPECT_EQ(*a, *SocketAddress::from_string("0::1", 9));
}

}  // namespace
}  // namespace parley::rtc::stun
