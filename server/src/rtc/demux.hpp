// One-port demultiplexing (RFC 7983 section 7, RFC 5761 section 4): what a
// datagram arriving on a media port is, from its first two bytes. A cheap
// sniff only; the protocol's own parser still validates everything.
#pragma once

#include <cstdint>
#include <span>

namespace parley::rtc {

enum class PacketKind : std::uint8_t { Unknown, Stun, Dtls, Rtp, Rtcp };

// First byte 0..3 -> STUN, 20..63 -> DTLS, 128..191 -> RTP or RTCP (RTCP when
// the second byte's payload-type field is 192..223 with the marker bit, i.e.
// 64..95 without it, RFC 5761), anything else (TURN channels, ZRTP) Unknown.
PacketKind classify(std::span<const std::uint8_t> datagram);

}  // namespace parley::rtc
