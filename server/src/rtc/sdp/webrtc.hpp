// The WebRTC reading of an SDP (JSEP, RFC 8829, Unified Plan): one media
// section per m= line with its mid, ICE credentials (RFC 8839), DTLS
// fingerprint and setup role (RFC 8842), direction, msid (RFC 8830),
// codecs from rtpmap/fmtp/rtcp-fb with RTX folded into the codec it repairs
// (RFC 4588 "apt"), header extensions (RFC 8285 extmap), SSRCs and
// ssrc-group FID (RFC 5576), candidates; BUNDLE groups (RFC 9143) at the
// session level. from_sdp() checks what a WebRTC peer must send; to_sdp()
// writes the description the SFU answers or offers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.hpp"
#include "rtc/sdp/sdp.hpp"

namespace parley::rtc::sdp {

enum class MediaKind : std::uint8_t { Audio, Video, Application };
enum class Direction : std::uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };
enum class Setup : std::uint8_t { ActPass, Active, Passive, HoldConn };

std::string_view to_string(MediaKind k);
std::string_view to_string(Direction d);
std::string_view to_string(Setup s);

// a=fingerprint:<hash> <hex pairs separated by ':'>
struct Fingerprint {
  std::string algorithm;  // lower case: "sha-256"
  std::string value;      // upper-case hex pairs: "82:BE:..."
  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

using Parameters = std::vector<std::pair<std::string, std::string>>;

struct Codec {
  std::uint8_t payload_type = 0;
  std::string name;  // as written: "opus", "VP8", "H264"
  std::uint32_t clock_rate = 0;
  std::uint8_t channels = 1;
  Parameters parameters;              // a=fmtp, in order ("111/111" for RED: key "111/111", value "")
  std::vector<std::string> feedback;  // a=rtcp-fb: "nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"
  std::optional<std::uint8_t> rtx_payload_type;
  Parameters rtx_parameters;          // the RTX fmtp minus apt (e.g. rtx-time)

  std::optional<std::string_view> parameter(std::string_view key) const;
  bool has_feedback(std::string_view fb) const;
  friend bool operator==(const Codec&, const Codec&) = default;
};

// Case-insensitive codec name comparison ("h264" == "H264").
bool codec_is(const Codec& c, std::string_view name);
// Opus with in-band FEC ("useinbandfec=1") / DTX ("usedtx=1") (RFC 7587).
bool opus_in_band_fec(const Codec& c);
bool opus_dtx(const Codec& c);
// H.264 Constrained Baseline (RFC 6184 section 8.1 profile-level-id: profile
// 42 with constraint_set1, 4D with set0+set1, or 58 with set0+set1);
// no profile-level-id means Baseline 42000a, which is not constrained.
bool h264_constrained_baseline(const Codec& c);
// H.264 packetization-mode (default 0).
int h264_packetization_mode(const Codec& c);

struct ExtensionMapping {
  std::uint8_t id = 0;
  std::string uri;
  std::optional<Direction> direction;
  std::string attributes;  // anything after the URI
  friend bool operator==(const ExtensionMapping&, const ExtensionMapping&) = default;
};

struct Msid {
  std::string stream;  // "-" for none
  std::string track;   // may be empty
  friend bool operator==(const Msid&, const Msid&) = default;
};

struct SsrcDescription {
  std::uint32_t ssrc = 0;
  std::string cname;
  std::optional<Msid> msid;
  friend bool operator==(const SsrcDescription&, const SsrcDescription&) = default;
};

struct SsrcGroup {
  std::string semantics;  // "FID", "SIM", "FEC-FR"
  std::vector<std::uint32_t> ssrcs;
  friend bool operator==(const SsrcGroup&, const SsrcGroup&) = default;
};

// a=candidate (RFC 8839 section 5.1).
struct Candidate {
  std::string foundation;
  std::uint16_t component = 1;
  std::string transport;  // "udp", "tcp" (as written)
  std::uint32_t priority = 0;
  std::string address;
  std::uint16_t port = 0;
  std::string type;  // host, srflx, prflx, relay
  std::optional<std::string> related_address;
  std::optional<std::uint16_t> related_port;
  std::optional<std::string> tcp_type;  // active, passive, so (RFC 6544)
  Parameters extensions;                // generation, network-id, ufrag, ...

  static base::Result<Candidate> parse(std::string_view value);  // without "candidate:"
  std::string to_string() const;
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

struct MediaSection {
  MediaKind kind = MediaKind::Audio;
  std::string mid;
  std::uint16_t port = 9;
  std::string proto = "UDP/TLS/RTP/SAVPF";
  Direction direction = Direction::SendRecv;
  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options;
  std::optional<Fingerprint> fingerprint;
  std::optional<Setup> setup;
  bool rtcp_mux = false;
  bool rtcp_rsize = false;
  bool bundle_only = false;
  std::vector<Msid> msids;
  std::vector<Codec> codecs;  // m= line order, RTX folded in
  std::vector<ExtensionMapping> extensions;
  std::vector<SsrcDescription> ssrcs;
  std::vector<SsrcGroup> ssrc_groups;
  std::vector<Candidate> candidates;
  bool end_of_candidates = false;
  std::vector<std::string> formats;  // application sections: the m= formats as written
  std::optional<std::uint16_t> sctp_port;
  std::optional<std::uint32_t> max_message_size;

  const Codec* find_codec(std::string_view name) const;
  friend bool operator==(const MediaSection&, const MediaSection&) = default;
};

struct WebRtcDescription {
  Origin origin;
  std::vector<std::vector<std::string>> bundle_groups;  // a=group:BUNDLE mids
  bool extmap_allow_mixed = false;
  bool ice_lite = false;
  std::vector<MediaSection> media;

  const MediaSection* find_mid(std::string_view mid) const;
  friend bool operator==(const WebRtcDescription&, const WebRtcDescription&) = default;
};

// Reads and checks: every m= section has a unique mid; sections in use
// (port != 0 or bundle-only) have ICE credentials and a fingerprint (here or
// at session level); payload types have an rtpmap (or are static); RTX
// names an existing codec; BUNDLE names existing mids.
base::Result<WebRtcDescription> from_sdp(const SessionDescription& s);
base::Result<WebRtcDescription> parse_webrtc(std::string_view text, const Limits& limits = {});
SessionDescription to_sdp(const WebRtcDescription& d);

}  // namespace parley::rtc::sdp
