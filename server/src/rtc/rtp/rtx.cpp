#include "rtc/rtp/rtx.hpp"

#include <cstring>

#include "rtc/bytes.hpp"

namespace parley::rtc::rtp {

base::Result<std::size_t> write_rtx(const Packet& original, const RtxStream& rtx, std::uint16_t rtx_sequence,
                                    std::span<std::uint8_t> out) {
  const std::size_t header = original.header_size();
  const std::size_t payload = original.payload().size();
  const std::size_t size = header + 2 + payload;
  if (size > out.size()) return base::Status::bad_request("rtx: packet does not fit the buffer");
  std::memcpy(out.data(), original.bytes().data(), header);
  out[0] &= static_cast<std::uint8_t>(~0x20);  // no padding
  out[1] = static_cast<std::uint8_t>((out[1] & 0x80) | (rtx.payload_type & 0x7F));
  store_u16(out.data() + 2, rtx_sequence);
  store_u32(out.data() + 8, rtx.ssrc);
  store_u16(out.data() + header, original.sequence_number());
  if (payload > 0) std::memcpy(out.data() + header + 2, original.payload().data(), payload);
  return size;
}

base::Result<std::size_t> unwrap_rtx(Packet& rtx, std::uint8_t original_payload_type, std::uint32_t original_ssrc) {
  auto payload = rtx.mutable_payload();
  if (payload.size() < 2) return base::Status::bad_request("rtx: no original sequence number");
  const std::uint16_t osn = load_u16(payload.data());
  std::memmove(payload.data(), payload.data() + 2, payload.size() - 2);
  std::uint8_t* p = rtx.mutable_bytes().data();
  p[0] &= static_cast<std::uint8_t>(~0x20);
  rtx.set_sequence_number(osn);
  rtx.set_payload_type(original_payload_type & 0x7F);
  rtx.set_ssrc(original_ssrc);
  return rtx.header_size() + payload.size() - 2;
}

}  // namespace parley::rtc::rtp
