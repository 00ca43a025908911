// STUN messages (RFC 8489, which obsoletes RFC 5389) as ICE uses them
// (RFC 8445 section 7): parse without copying, build, and check
// MESSAGE-INTEGRITY (HMAC-SHA1), MESSAGE-INTEGRITY-SHA256 and FINGERPRINT.
//
// Message layout (RFC 8489 section 5):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |0 0|     STUN Message Type     |         Message Length        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                         Magic Cookie                          |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                     Transaction ID (96 bits)                  |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |         Type                  |            Length             |  attributes,
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  each padded
//   |                         Value (variable)                ....     to 4 bytes
//
// Errors: parse() returns a BadRequest Status naming the first problem; the
// caller (the ICE server) drops the datagram and counts it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "rtc/socket_address.hpp"

namespace parley::rtc::stun {

inline constexpr std::uint32_t kMagicCookie = 0x2112A442;
inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::uint32_t kFingerprintXor = 0x5354554e;
// A message holding more attributes than this is rejected (ICE needs < 10).
inline constexpr std::size_t kMaxAttributes = 32;

inline constexpr std::uint16_t kMethodBinding = 0x001;

enum class Class : std::uint8_t { Request = 0, Indication = 1, SuccessResponse = 2, ErrorResponse = 3 };

// Attribute types (RFC 8489 section 18.3, RFC 8445 section 16.1).
namespace attr {
inline constexpr std::uint16_t kMappedAddress = 0x0001;
inline constexpr std::uint16_t kUsername = 0x0006;
inline constexpr std::uint16_t kMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kErrorCode = 0x0009;
inline constexpr std::uint16_t kUnknownAttributes = 0x000A;
inline constexpr std::uint16_t kRealm = 0x0014;
inline constexpr std::uint16_t kNonce = 0x0015;
inline constexpr std::uint16_t kMessageIntegritySha256 = 0x001C;
inline constexpr std::uint16_t kXorMappedAddress = 0x0020;
inline constexpr std::uint16_t kPriority = 0x0024;
inline constexpr std::uint16_t kUseCandidate = 0x0025;
inline constexpr std::uint16_t kSoftware = 0x8022;
inline constexpr std::uint16_t kFingerprint = 0x8028;
inline constexpr std::uint16_t kIceControlled = 0x8029;
inline constexpr std::uint16_t kIceControlling = 0x802A;
}  // namespace attr

using TransactionId = std::array<std::uint8_t, 12>;

// Cheap sniff for one-port demultiplexing: the two top bits are zero, the
// length is a multiple of four and the magic cookie is in place.
bool is_stun(std::span<const std::uint8_t> datagram);

// For stream transports (RFC 6544 framing hands over whole frames, but a
// caller may want to check): 20 + the header's length field, or 0 when fewer
// than 20 bytes are given.
std::size_t message_size(std::span<const std::uint8_t> header);

struct ErrorCode {
  std::uint16_t code = 0;    // 300..699
  std::string_view reason;   // UTF-8, points into the message
};

// One attribute as found in the message: `offset` is where its value starts,
// from the beginning of the message.
struct Attribute {
  std::uint16_t type = 0;
  std::uint16_t length = 0;
  std::uint16_t offset = 0;
};

// A parsed message: a view over bytes that must outlive it. Attributes that
// follow MESSAGE-INTEGRITY (other than MESSAGE-INTEGRITY-SHA256 and
// FINGERPRINT) are ignored as RFC 8489 section 14.5 requires; anything after
// FINGERPRINT is an error (it must be last). Known attributes have their
// lengths and values checked by parse(), so the typed accessors cannot fail.
class Message {
 public:
  // The datagram must hold exactly one message (length field + 20 bytes).
  static base::Result<Message> parse(std::span<const std::uint8_t> datagram);

  std::uint16_t method() const { return method_; }
  Class message_class() const { return class_; }
  TransactionId transaction_id() const;
  std::span<const std::uint8_t> bytes() const { return data_; }

  std::span<const Attribute> attributes() const { return {attrs_.data(), count_}; }
  // The value of the first attribute of `type`, if present (and not ignored).
  std::optional<std::span<const std::uint8_t>> find(std::uint16_t type) const;

  std::optional<std::string_view> username() const { return text(attr::kUsername); }
  std::optional<std::string_view> software() const { return text(attr::kSoftware); }
  std::optional<std::string_view> realm() const { return text(attr::kRealm); }
  std::optional<std::string_view> nonce() const { return text(attr::kNonce); }
  std::optional<std::uint32_t> priority() const;
  bool use_candidate() const { return find(attr::kUseCandidate).has_value(); }
  std::optional<std::uint64_t> ice_controlling() const;
  std::optional<std::uint64_t> ice_controlled() const;
  std::optional<SocketAddress> xor_mapped_address() const;
  std::optional<SocketAddress> mapped_address() const;
  std::optional<ErrorCode> error_code() const;
  // Comprehension-required types (0x0000-0x7FFF) this parser does not know:
  // a request carrying any gets a 420 listing them (RFC 8489 section 6.3.1).
  std::span<const std::uint16_t> unknown_required() const { return {unknown_.data(), unknown_count_}; }

  bool has_message_integrity() const { return integrity_ >= 0; }
  bool has_message_integrity_sha256() const { return integrity_sha256_ >= 0; }
  bool has_fingerprint() const { return fingerprint_ >= 0; }
  // HMAC over the message up to the attribute, with the length field as if
  // the attribute ended the message (RFC 8489 sections 14.5 and 14.6). The
  // key is the ICE password for short-term credentials, or long_term_key().
  bool verify_message_integrity(std::span<const std::uint8_t> key) const;
  bool verify_message_integrity_sha256(std::span<const std::uint8_t> key) const;
  bool verify_message_integrity(std::string_view key) const;
  // CRC-32 of the message up to FINGERPRINT, xor 0x5354554e (section 14.7).
  bool verify_fingerprint() const;

 private:
  Message() = default;
  std::optional<std::string_view> text(std::uint16_t type) const;
  bool verify_hmac(int index, bool sha256, std::span<const std::uint8_t> key) const;

  std::span<const std::uint8_t> data_;
  std::uint16_t method_ = 0;
  Class class_ = Class::Request;
  std::uint8_t count_ = 0;
  std::uint8_t unknown_count_ = 0;
  std::int8_t integrity_ = -1;  // index into attrs_, or -1
  std::int8_t integrity_sha256_ = -1;
  std::int8_t fingerprint_ = -1;
  std::array<Attribute, kMaxAttributes> attrs_{};
  std::array<std::uint16_t, 8> unknown_{};
};

// Builds a message attribute by attribute. Integrity and fingerprint go last,
// in this order: add_message_integrity(), add_message_integrity_sha256(),
// add_fingerprint(). Appending anything after them is a programming error
// (debug assert); the builder never fails otherwise.
class MessageBuilder {
 public:
  MessageBuilder(std::uint16_t method, Class cls, const TransactionId& transaction_id);

  // Padding bytes are ignored by receivers; RFC 5769's vectors use spaces.
  MessageBuilder& set_padding_byte(std::uint8_t b) {
    padding_ = b;
    return *this;
  }
  MessageBuilder& add(std::uint16_t type, std::span<const std::uint8_t> value);
  MessageBuilder& add(std::uint16_t type, std::string_view value);
  MessageBuilder& add_username(std::string_view u) { return add(attr::kUsername, u); }
  MessageBuilder& add_software(std::string_view s) { return add(attr::kSoftware, s); }
  MessageBuilder& add_priority(std::uint32_t priority);
  MessageBuilder& add_use_candidate();
  MessageBuilder& add_ice_controlling(std::uint64_t tie_breaker);
  MessageBuilder& add_ice_controlled(std::uint64_t tie_breaker);
  MessageBuilder& add_xor_mapped_address(const SocketAddress& address);
  MessageBuilder& add_error_code(std::uint16_t code, std::string_view reason);
  MessageBuilder& add_unknown_attributes(std::span<const std::uint16_t> types);
  MessageBuilder& add_message_integrity(std::span<const std::uint8_t> key);
  MessageBuilder& add_message_integrity(std::string_view key);
  MessageBuilder& add_message_integrity_sha256(std::span<const std::uint8_t> key);
  MessageBuilder& add_fingerprint();

  const std::vector<std::uint8_t>& bytes() const { return out_; }
  std::vector<std::uint8_t> take() && { return std::move(out_); }

 private:
  std::uint8_t* append_header(std::uint16_t type, std::size_t length);
  void set_length(std::size_t body);

  std::vector<std::uint8_t> out_;
  std::uint8_t padding_ = 0;
};

// MD5(username ":" realm ":" password), the long-term credential key of RFC
// 8489 section 9.2.2 (MD5 algorithm). The password must already be
// OpaqueString-prepared (RFC 8265); this function does not normalise.
std::array<std::uint8_t, 16> long_term_key(std::string_view username, std::string_view realm,
                                           std::string_view password);

// CRC-32 (ISO HDLC, as in zlib) of `data`.
std::uint32_t crc32(std::span<const std::uint8_t> data);

// The XOR-MAPPED-ADDRESS value (RFC 8489 section 14.2) for `address`.
std::vector<std::uint8_t> xor_address_value(const SocketAddress& address, const TransactionId& tid);

}  // namespace parley::rtc::stun
