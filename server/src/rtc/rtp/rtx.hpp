// RTX (RFC 4588 section 4): a retransmission travels on its own SSRC and
// payload type with the original sequence number (OSN) in the first two
// bytes of its payload.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                         RTP Header                            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |            OSN                |                               |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
//   |                  Original RTP Packet Payload                  |
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.hpp"
#include "rtc/rtp/packet.hpp"

namespace parley::rtc::rtp {

struct RtxStream {
  std::uint8_t payload_type = 0;
  std::uint32_t ssrc = 0;
};

// Writes `original` as an RTX packet into `out` (header, CSRCs and
// extensions copied; padding dropped): the packet's size, or an error when
// it does not fit.
base::Result<std::size_t> write_rtx(const Packet& original, const RtxStream& rtx, std::uint16_t rtx_sequence,
                                    std::span<std::uint8_t> out);

// Turns an RTX packet back into the original, in place: sequence number
// from the OSN, payload type and SSRC as given, payload moved up by two
// bytes, padding dropped. Returns the new size; an error for a packet whose
// payload has no OSN (e.g. a padding-only probe).
base::Result<std::size_t> unwrap_rtx(Packet& rtx, std::uint8_t original_payload_type, std::uint32_t original_ssrc);

}  // namespace parley::rtc::rtp
