#include "rtc/rtp/packet.hpp"

#include <cassert>
#include <cstring>
#include <string>

#include "rtc/bytes.hpp"

namespace parley::rtc::rtp {

namespace {

using base::Result;
using base::Status;

Status bad(std::string m) { return Status::bad_request("rtp: " + std::move(m)); }

}  // namespace

bool is_rtp(std::span<const std::uint8_t> d) {
  if (d.size() < kFixedHeaderSize || (d[0] >> 6) != 2) return false;
  const std::uint8_t pt = d[1] & 0x7F;
  return pt < 64 || pt > 95;
}

Result<Packet> Packet::parse(std::span<std::uint8_t> d) {
  if (d.size() < kFixedHeaderSize) return bad("shorter than the 12-byte header");
  if (d.size() > 0xFFFF) return bad("larger than 65535 bytes");
  if ((d[0] >> 6) != 2) return bad("version is not 2");
  Packet p;
  p.data_ = d;
  std::size_t pos = kFixedHeaderSize + 4u * (d[0] & 0x0F);
  if (pos > d.size()) return bad("CSRC list overruns the packet");
  if (d[0] & 0x10) {
    if (d.size() - pos < 4) return bad("truncated extension header");
    p.profile_ = load_u16(d.data() + pos);
    const std::size_t words = load_u16(d.data() + pos + 2);
    const std::size_t begin = pos + 4;
    if (words * 4 > d.size() - begin) return bad("header extension overruns the packet");
    pos = begin + words * 4;
    if (p.profile_ == kOneByteProfile) {
      p.form_ = ExtensionForm::OneByte;
    } else if ((p.profile_ & 0xFFF0) == kTwoByteProfile) {
      p.form_ = ExtensionForm::TwoByte;
    } else {
      p.form_ = ExtensionForm::Other;
    }
    if (p.form_ != ExtensionForm::Other) PARLEY_RETURN_IF_ERROR(p.parse_extensions(begin, pos));
  }
  std::size_t padding = 0;
  if (d[0] & 0x20) {
    if (pos == d.size()) return bad("padding bit set without padding");
    padding = d.back();
    if (padding == 0) return bad("padding count is zero");
    if (padding > d.size() - pos) return bad("padding longer than the payload");
  }
  p.header_size_ = static_cast<std::uint16_t>(pos);
  p.payload_size_ = static_cast<std::uint16_t>(d.size() - pos - padding);
  return p;
}

// RFC 8285 sections 4.2 (one-byte) and 4.3 (two-byte). Id 0 is a padding
// byte in both forms; one-byte id 15 stops processing (section 4.2).
Status Packet::parse_extensions(std::size_t pos, std::size_t end) {
  const bool one = form_ == ExtensionForm::OneByte;
  while (pos < end) {
    const std::uint8_t b = data_[pos];
    if (one) {
      const std::uint8_t id = b >> 4;
      if (id == 0) {
        ++pos;
        continue;
      }
      if (id == 15) break;
      const std::size_t len = (b & 0x0F) + 1u;
      if (len > end - pos - 1) return bad("one-byte extension element overruns");
      if (ext_count_ == kMaxExtensions) return bad("too many header extension elements");
      ext_[ext_count_++] = {id, static_cast<std::uint8_t>(len), static_cast<std::uint16_t>(pos + 1)};
      pos += 1 + len;
    } else {
      if (b == 0) {
        ++pos;
        continue;
      }
      if (end - pos < 2) return bad("truncated two-byte extension element");
      const std::size_t len = data_[pos + 1];
      if (len > end - pos - 2) return bad("two-byte extension element overruns");
      if (ext_count_ == kMaxExtensions) return bad("too many header extension elements");
      ext_[ext_count_++] = {b, static_cast<std::uint8_t>(len), static_cast<std::uint16_t>(pos + 2)};
      pos += 2 + len;
    }
  }
  return Status::ok();
}

std::uint16_t Packet::sequence_number() const { return load_u16(data_.data() + 2); }
std::uint32_t Packet::timestamp() const { return load_u32(data_.data() + 4); }
std::uint32_t Packet::ssrc() const { return load_u32(data_.data() + 8); }
std::uint32_t Packet::csrc(std::size_t i) const {
  assert(i < csrc_count());
  return load_u32(data_.data() + kFixedHeaderSize + 4 * i);
}

void Packet::set_marker(bool m) { data_[1] = static_cast<std::uint8_t>((data_[1] & 0x7F) | (m ? 0x80 : 0)); }
void Packet::set_payload_type(std::uint8_t pt) {
  assert(pt < 128);
  data_[1] = static_cast<std::uint8_t>((data_[1] & 0x80) | (pt & 0x7F));
}
void Packet::set_sequence_number(std::uint16_t seq) { store_u16(data_.data() + 2, seq); }
void Packet::set_timestamp(std::uint32_t ts) { store_u32(data_.data() + 4, ts); }
void Packet::set_ssrc(std::uint32_t ssrc) { store_u32(data_.data() + 8, ssrc); }

std::optional<std::span<const std::uint8_t>> Packet::extension(std::uint8_t id) const {
  for (std::size_t i = 0; i < ext_count_; ++i) {
    if (ext_[i].id == id) return std::span<const std::uint8_t>(data_.data() + ext_[i].offset, ext_[i].length);
  }
  return std::nullopt;
}

bool Packet::set_extension(std::uint8_t id, std::span<const std::uint8_t> value) {
  for (std::size_t i = 0; i < ext_count_; ++i) {
    if (ext_[i].id != id) continue;
    if (ext_[i].length != value.size()) return false;
    if (!value.empty()) std::memcpy(data_.data() + ext_[i].offset, value.data(), value.size());
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------

bool PacketWriter::add_extension(std::uint8_t id, std::span<const std::uint8_t> value) {
  if (id == 0 || count_ == kMaxExtensions || value.size() > 255 || value.size() > kMaxExtensionBytes - used_) {
    return false;
  }
  ext_[count_++] = {id, static_cast<std::uint8_t>(value.size()), used_};
  if (!value.empty()) std::memcpy(values_.data() + used_, value.data(), value.size());
  used_ = static_cast<std::uint16_t>(used_ + value.size());
  return true;
}

Result<std::size_t> PacketWriter::write(std::span<std::uint8_t> out, std::span<const std::uint8_t> payload,
                                        std::uint8_t padding) const {
  if (header_.csrcs.size() > 15) return bad("more than 15 CSRCs");
  bool two = force_two_byte_;
  std::size_t ext_bytes = 0;
  for (std::size_t i = 0; i < count_; ++i) {
    if (ext_[i].id > 14 || ext_[i].length == 0 || ext_[i].length > 16) two = true;
  }
  if (count_ > 0) {
    for (std::size_t i = 0; i < count_; ++i) ext_bytes += (two ? 2u : 1u) + ext_[i].length;
    ext_bytes += pad4(ext_bytes);
  }
  const std::size_t header = kFixedHeaderSize + 4 * header_.csrcs.size() + (count_ > 0 ? 4 + ext_bytes : 0);
  const std::size_t total = header + payload.size() + padding;
  if (total > out.size()) return bad("packet does not fit the buffer");
  if (total > 0xFFFF) return bad("packet larger than 65535 bytes");

  std::uint8_t* p = out.data();
  p[0] = static_cast<std::uint8_t>(0x80 | (padding ? 0x20 : 0) | (count_ > 0 ? 0x10 : 0) | header_.csrcs.size());
  p[1] = static_cast<std::uint8_t>((header_.marker ? 0x80 : 0) | (header_.payload_type & 0x7F));
  store_u16(p + 2, header_.sequence_number);
  store_u32(p + 4, header_.timestamp);
  store_u32(p + 8, header_.ssrc);
  std::size_t pos = kFixedHeaderSize;
  for (std::uint32_t c : header_.csrcs) {
    store_u32(p + pos, c);
    pos += 4;
  }
  if (count_ > 0) {
    store_u16(p + pos, two ? kTwoByteProfile : kOneByteProfile);
    store_u16(p + pos + 2, static_cast<std::uint16_t>(ext_bytes / 4));
    pos += 4;
    const std::size_t end = pos + ext_bytes;
    for (std::size_t i = 0; i < count_; ++i) {
      const ExtensionElement& e = ext_[i];
      if (two) {
        p[pos++] = e.id;
        p[pos++] = e.length;
      } else {
        p[pos++] = static_cast<std::uint8_t>((e.id << 4) | (e.length - 1));
      }
      std::memcpy(p + pos, values_.data() + e.offset, e.length);
      pos += e.length;
    }
    while (pos < end) p[pos++] = 0;
  }
  if (!payload.empty()) std::memcpy(p + pos, payload.data(), payload.size());
  pos += payload.size();
  if (padding) {
    std::memset(p + pos, 0, padding - 1u);
    p[pos + padding - 1] = padding;
    pos += padding;
  }
  return pos;
}

}  // namespace parley::rtc::rtp
