// SDP offer/answer for a room's participants (JSEP, RFC 8829; Unified
// Plan; BUNDLE on one transport each; ice-lite), on top of Room:
//
//   publish:   client offer  -> on_publish_offer()   -> our answer (recvonly);
//              each sending audio/video section becomes a Producer
//              (its SSRC, RTX SSRC from ssrc-group FID, chosen codec,
//              audio-level id); a section that stops sending closes it.
//   subscribe: subscribe_offer() -> our offer (sendonly, one section per
//              consumer, a=setup:actpass) -> on_subscribe_answer().
//              Call again after Room::Listener::on_renegotiate; sections of
//              consumers that went away stay as port-0 inactive sections
//              (m= lines never disappear, RFC 8829 section 5.2.2).
//
// Codecs: Opus for audio; VP8, else H.264 constrained baseline
// (packetization-mode 1), for video; with their RTX. Feedback kept: nack,
// nack pli, ccm fir. Extensions kept: audio level, abs-send-time and mid
// on publish; the subscribe offer declares audio level and abs-send-time
// with the SFU's fixed ids (kSubscriber*Id: Room renames the elements of
// forwarded packets, since publishers' ids differ and one BUNDLE needs one
// meaning per id) and leaves out mid, so browsers demultiplex by the
// signalled SSRCs.
// transport-cc is not negotiated yet (no TWCC feedback from the SFU).
//
// Threading: the room's worker thread, like Room.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "rtc/sdp/webrtc.hpp"
#include "sfu/room.hpp"

namespace parley::sfu {

class SdpNegotiator {
 public:
  explicit SdpNegotiator(Room& room) : room_(room) {}

  base::Result<std::string> on_publish_offer(const std::string& participant, std::string_view offer);
  base::Result<std::string> subscribe_offer(const std::string& participant);
  base::Status on_subscribe_answer(const std::string& participant, std::string_view answer);
  // Drops what is kept for a participant that left.
  void forget(const std::string& participant);

  // The producer a publish section's mid maps to (0 if none).
  ProducerId producer_for(const std::string& participant, const std::string& mid) const;
  // The MediaStream id subscribers see a producer's track in (msid); by
  // default the publishing participant's id. Call signalling gives a screen
  // share its own stream so that receivers tell it from the camera. Applies
  // to subscribe offers made after the call.
  void set_stream_id(ProducerId producer, std::string stream_id);

 private:
  struct Published {
    rtc::sdp::Codec codec;
    std::vector<rtc::sdp::ExtensionMapping> extensions;
    std::string stream_id;      // the publisher's own msid stream
    std::string subscriber_stream;  // the msid stream subscribers see ("" = the publisher's participant id)
  };
  struct SubscribeSlot {
    std::string mid;
    ProducerId producer = 0;  // 0: the consumer went away (inactive section)
    rtc::sdp::MediaKind kind = rtc::sdp::MediaKind::Audio;
  };
  struct State {
    bool publish_connected = false;
    bool subscribe_connected = false;
    rtc::dtls::Role subscribe_role = rtc::dtls::Role::Server;  // ours, once connected
    std::map<std::string, ProducerId> publish_mids;
    std::vector<SubscribeSlot> subscribe_slots;
    std::uint64_t subscribe_version = 0;
    std::uint64_t publish_version = 0;
    std::uint64_t session_id = 0;
  };

  Room& room_;
  std::map<std::string, State> states_;
  std::map<ProducerId, Published> published_;
};

}  // namespace parley::sfu
