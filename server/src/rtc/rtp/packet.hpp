// RTP packets (RFC 3550 section 5.1) with header extensions in the one-byte
// and two-byte forms of RFC 8285: a view that validates once and then reads
// and rewrites fields in place, without allocating or copying.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                           timestamp                           |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |           synchronization source (SSRC) identifier            |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |            contributing source (CSRC) identifiers             |
//   |                             ....                              |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  0xBEDE (one-byte) / 0x100x   |     length (32-bit words)     |  when X=1
//   |                      extension elements                       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                 payload  ...  [padding, count in last byte]   |
//
// Errors: parse() returns BadRequest with the reason; the caller drops the
// packet and counts it. The packet path never throws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/status.hpp"

namespace parley::rtc::rtp {

inline constexpr std::size_t kFixedHeaderSize = 12;
inline constexpr std::uint16_t kOneByteProfile = 0xBEDE;
inline constexpr std::uint16_t kTwoByteProfile = 0x1000;  // low 4 bits: appbits
// A packet with more extension elements than this is rejected.
inline constexpr std::size_t kMaxExtensions = 16;

enum class ExtensionForm : std::uint8_t {
  None,     // X=0
  OneByte,  // RFC 8285 section 4.2
  TwoByte,  // RFC 8285 section 4.3
  Other,    // some other profile: the extension is kept opaque
};

// One element found in the header extension; `offset` is where its value
// starts, from the beginning of the packet.
struct ExtensionElement {
  std::uint8_t id = 0;
  std::uint8_t length = 0;
  std::uint16_t offset = 0;
};

// Version 2, at least 12 bytes, and not an RTCP packet type (RFC 5761).
bool is_rtp(std::span<const std::uint8_t> datagram);

// A validated view over an RTP packet. The bytes must outlive the view and
// must not be resized behind it; the setters rewrite them in place.
class Packet {
 public:
  static base::Result<Packet> parse(std::span<std::uint8_t> bytes);

  bool has_padding() const { return (data_[0] & 0x20) != 0; }
  bool has_extension() const { return (data_[0] & 0x10) != 0; }
  std::uint8_t csrc_count() const { return data_[0] & 0x0F; }
  bool marker() const { return (data_[1] & 0x80) != 0; }
  std::uint8_t payload_type() const { return data_[1] & 0x7F; }
  std::uint16_t sequence_number() const;
  std::uint32_t timestamp() const;
  std::uint32_t ssrc() const;
  std::uint32_t csrc(std::size_t i) const;  // REQUIRES: i < csrc_count()

  void set_marker(bool m);
  void set_payload_type(std::uint8_t pt);  // REQUIRES: pt < 128
  void set_sequence_number(std::uint16_t seq);
  void set_timestamp(std::uint32_t ts);
  void set_ssrc(std::uint32_t ssrc);

  std::size_t size() const { return data_.size(); }
  std::span<const std::uint8_t> bytes() const { return data_; }
  std::span<std::uint8_t> mutable_bytes() { return data_; }
  // Fixed header + CSRCs + header extension.
  std::size_t header_size() const { return header_size_; }
  std::span<const std::uint8_t> payload() const { return data_.subspan(header_size_, payload_size_); }
  std::span<std::uint8_t> mutable_payload() { return data_.subspan(header_size_, payload_size_); }
  std::size_t padding_size() const { return data_.size() - header_size_ - payload_size_; }

  ExtensionForm extension_form() const { return form_; }
  std::uint16_t extension_profile() const { return profile_; }  // 0 without X
  std::span<const ExtensionElement> extensions() const { return {ext_.data(), ext_count_}; }
  // The value of the first element with `id`, if any.
  std::optional<std::span<const std::uint8_t>> extension(std::uint8_t id) const;
  // Overwrites an element's value in place; false unless the element exists
  // with exactly value.size() bytes (a forwarder never grows a packet).
  bool set_extension(std::uint8_t id, std::span<const std::uint8_t> value);

 private:
  Packet() = default;
  base::Status parse_extensions(std::size_t begin, std::size_t end);

  std::span<std::uint8_t> data_;
  std::uint16_t header_size_ = 0;
  std::uint16_t payload_size_ = 0;
  std::uint16_t profile_ = 0;
  ExtensionForm form_ = ExtensionForm::None;
  std::uint8_t ext_count_ = 0;
  std::array<ExtensionElement, kMaxExtensions> ext_{};
};

struct Header {
  bool marker = false;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence_number = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::span<const std::uint32_t> csrcs;  // at most 15
};

// Writes RTP packets into a caller's buffer. Extensions use the one-byte
// form when every id is 1..14 and every value 1..16 bytes, else (or when
// forced, e.g. after "a=extmap-allow-mixed") the two-byte form. No
// allocation: extension values are copied into a fixed internal buffer.
class PacketWriter {
 public:
  static constexpr std::size_t kMaxExtensionBytes = 1024;

  explicit PacketWriter(const Header& header) : header_(header) {}

  void force_two_byte(bool v) { force_two_byte_ = v; }
  // False (and nothing added) when id is 0, more than kMaxExtensions
  // elements are added, or the value does not fit (> 255 bytes, or the
  // internal buffer is full).
  bool add_extension(std::uint8_t id, std::span<const std::uint8_t> value);

  // Writes header, extensions, payload and `padding` padding bytes (0 means
  // none; the last padding byte holds the count). Returns the packet's size,
  // or an error when it does not fit in `out`.
  base::Result<std::size_t> write(std::span<std::uint8_t> out, std::span<const std::uint8_t> payload,
                                  std::uint8_t padding = 0) const;

 private:
  Header header_;
  bool force_two_byte_ = false;
  std::uint8_t count_ = 0;
  std::uint16_t used_ = 0;
  std::array<ExtensionElement, kMaxExtensions> ext_{};  // offset into values_
  std::array<std::uint8_t, kMaxExtensionBytes> values_{};
};

}  // namespace parley::rtc::rtp
