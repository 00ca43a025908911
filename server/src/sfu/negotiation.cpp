#include "sfu/negotiation.hpp"

#include <algorithm>
#include <functional>

#include "rtc/rtp/extensions.hpp"

namespace parley::sfu {

namespace sdp = rtc::sdp;
namespace rtp = rtc::rtp;

namespace {

bool sending(sdp::Direction d) { return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly; }

// The first section in use: where the peer's ICE credentials and DTLS
// fingerprint are read (BUNDLE puts every section on that transport).
const sdp::MediaSection* transport_section(const sdp::WebRtcDescription& d) {
  for (const auto& m : d.media) {
    if ((m.port != 0 || m.bundle_only) && !m.ice_ufrag.empty() && m.fingerprint) return &m;
  }
  return nullptr;
}

const sdp::Codec* choose_codec(const sdp::MediaSection& m) {
  if (m.kind == sdp::MediaKind::Audio) return m.find_codec("opus");
  if (m.kind != sdp::MediaKind::Video) return nullptr;
  if (const auto* vp8 = m.find_codec("VP8")) return vp8;
  for (const auto& c : m.codecs) {
    if (sdp::codec_is(c, "H264") && sdp::h264_constrained_baseline(c) && sdp::h264_packetization_mode(c) == 1) {
      return &c;
    }
  }
  return nullptr;
}

sdp::Codec trimmed(const sdp::Codec& c, sdp::MediaKind kind) {
  sdp::Codec out = c;
  out.feedback.clear();
  if (kind == sdp::MediaKind::Video) {
    for (const char* fb : {"nack", "nack pli", "ccm fir"}) {
      if (c.has_feedback(fb)) out.feedback.emplace_back(fb);
    }
  }
  return out;
}

bool keep_extension(const std::string& uri, sdp::MediaKind kind, bool with_mid) {
  const auto k = rtp::extension_kind(uri);
  if (!k) return false;
  switch (*k) {
    case rtp::ExtensionKind::AudioLevel:
      return kind == sdp::MediaKind::Audio;
    case rtp::ExtensionKind::AbsSendTime:
      return true;
    case rtp::ExtensionKind::Mid:
      return with_mid;
    default:
      return false;
  }
}

void fill_transport(sdp::MediaSection& m, const LocalTransportParams& local, sdp::Setup setup) {
  m.ice_ufrag = local.ice_ufrag;
  m.ice_pwd = local.ice_pwd;
  m.fingerprint = sdp::Fingerprint{local.fingerprint_algorithm, local.fingerprint};
  m.setup = setup;
  m.rtcp_mux = true;
  m.rtcp_rsize = true;
  std::uint32_t foundation = 1;
  for (const auto& c : local.candidates) {
    sdp::Candidate cand;
    cand.foundation = std::to_string(foundation++);
    cand.component = 1;
    cand.transport = c.protocol;
    // RFC 8445 5.1.2.1: host type preference 126, component 1; TCP gets a
    // lower local preference so that browsers use it only without UDP.
    const bool tcp = c.protocol == "tcp";
    cand.priority = (126u << 24) | ((tcp ? 0x3fffu : 0xffffu) << 8) | 255u;
    cand.address = c.ip;
    cand.port = c.port;
    cand.type = "host";
    if (tcp) cand.tcp_type = "passive";
    m.candidates.push_back(cand);
  }
  m.end_of_candidates = true;
}

std::uint8_t extension_id(const std::vector<sdp::ExtensionMapping>& exts, rtp::ExtensionKind kind) {
  for (const auto& e : exts) {
    if (e.uri == rtp::extension_uri(kind)) return e.id;
  }
  return 0;
}

// Our DTLS role from the peer's a=setup (RFC 8842): it is active -> we serve.
rtc::dtls::Role our_role(std::optional<sdp::Setup> peer) {
  return peer == sdp::Setup::Passive ? rtc::dtls::Role::Client : rtc::dtls::Role::Server;
}

}  // namespace

ProducerId SdpNegotiator::producer_for(const std::string& participant, const std::string& mid) const {
  auto it = states_.find(participant);
  if (it == states_.end()) return 0;
  auto m = it->second.publish_mids.find(mid);
  return m == it->second.publish_mids.end() ? 0 : m->second;
}

void SdpNegotiator::forget(const std::string& participant) {
  auto it = states_.find(participant);
  if (it == states_.end()) return;
  for (auto& [mid, pid] : it->second.publish_mids) published_.erase(pid);
  states_.erase(it);
}

base::Result<std::string> SdpNegotiator::on_publish_offer(const std::string& participant, std::string_view offer_text) {
  auto local = room_.local_params(participant, true);
  if (!local) return base::Status::not_found("sfu: no such participant");
  PARLEY_ASSIGN_OR_RETURN(sdp::WebRtcDescription offer, sdp::parse_webrtc(offer_text));
  const sdp::MediaSection* ts = transport_section(offer);
  if (!ts) return base::Status::bad_request("sdp: no media section with ICE credentials and a fingerprint");
  if (ts->fingerprint->algorithm != "sha-256") return base::Status::bad_request("sdp: only sha-256 fingerprints");
  State& st = states_[participant];
  if (st.session_id == 0) st.session_id = std::hash<std::string>{}(participant) | 1;
  const rtc::dtls::Role role = our_role(ts->setup);
  if (!st.publish_connected) {
    RemoteTransportParams remote;
    remote.ice_ufrag = ts->ice_ufrag;
    remote.fingerprint_algorithm = ts->fingerprint->algorithm;
    remote.fingerprint = ts->fingerprint->value;
    remote.dtls_role = role;
    PARLEY_RETURN_IF_ERROR(room_.connect(participant, true, remote));
    st.publish_connected = true;
  }
  const sdp::Setup our_setup = role == rtc::dtls::Role::Server ? sdp::Setup::Passive : sdp::Setup::Active;

  sdp::WebRtcDescription answer;
  answer.origin.session_id = std::to_string(st.session_id);
  answer.origin.session_version = std::to_string(++st.publish_version);
  answer.ice_lite = true;
  answer.extmap_allow_mixed = offer.extmap_allow_mixed;
  std::vector<std::string> bundle;
  std::vector<std::string> seen_mids;
  for (const auto& m : offer.media) {
    seen_mids.push_back(m.mid);
    sdp::MediaSection a;
    a.kind = m.kind;
    a.mid = m.mid;
    a.proto = m.proto;
    const sdp::Codec* codec = (m.port != 0 || m.bundle_only) ? choose_codec(m) : nullptr;
    if (!codec) {
      // Rejected (data channels, unsupported codecs, already stopped).
      a.port = 0;
      a.direction = sdp::Direction::Inactive;
      a.formats = m.formats;
      if (!m.codecs.empty()) a.codecs.push_back(trimmed(m.codecs.front(), m.kind));
      answer.media.push_back(std::move(a));
      if (auto it = st.publish_mids.find(m.mid); it != st.publish_mids.end()) {
        (void)room_.close_producer(it->second);
        published_.erase(it->second);
        st.publish_mids.erase(it);
      }
      continue;
    }
    a.direction = sending(m.direction) ? sdp::Direction::RecvOnly : sdp::Direction::Inactive;
    a.codecs.push_back(trimmed(*codec, m.kind));
    for (const auto& e : m.extensions) {
      if (keep_extension(e.uri, m.kind, true)) a.extensions.push_back({e.id, e.uri, std::nullopt, ""});
    }
    fill_transport(a, *local, our_setup);
    bundle.push_back(a.mid);

    // The stream this section publishes, if it sends.
    std::uint32_t ssrc = 0, rtx_ssrc = 0;
    for (const auto& g : m.ssrc_groups) {
      if (g.semantics == "FID" && g.ssrcs.size() == 2) {
        ssrc = g.ssrcs[0];
        rtx_ssrc = g.ssrcs[1];
        break;
      }
    }
    if (ssrc == 0 && !m.ssrcs.empty()) ssrc = m.ssrcs.front().ssrc;
    auto existing = st.publish_mids.find(m.mid);
    const bool sends = sending(m.direction) && ssrc != 0;
    if (existing != st.publish_mids.end()) {
      const Producer* p = room_.producer(existing->second);
      if (sends && p && p->params().ssrc == ssrc) {
        answer.media.push_back(std::move(a));
        continue;  // unchanged
      }
      (void)room_.close_producer(existing->second);
      published_.erase(existing->second);
      st.publish_mids.erase(existing);
    }
    if (sends) {
      ProducerParams pp;
      pp.kind = m.kind == sdp::MediaKind::Audio ? MediaKind::Audio : MediaKind::Video;
      pp.mid = m.mid;
      pp.ssrc = ssrc;
      pp.payload_type = codec->payload_type;
      pp.clock_rate = codec->clock_rate;
      if (codec->rtx_payload_type && rtx_ssrc) {
        pp.rtx_ssrc = rtx_ssrc;
        pp.rtx_payload_type = *codec->rtx_payload_type;
      }
      pp.audio_level_id = extension_id(a.extensions, rtp::ExtensionKind::AudioLevel);
      pp.abs_send_time_id = extension_id(a.extensions, rtp::ExtensionKind::AbsSendTime);
      PARLEY_ASSIGN_OR_RETURN(ProducerId pid, room_.produce(participant, pp));
      st.publish_mids[m.mid] = pid;
      Published pub;
      pub.codec = a.codecs.front();
      pub.extensions = a.extensions;
      pub.stream_id = m.msids.empty() ? participant : m.msids.front().stream;
      published_[pid] = std::move(pub);
    }
    answer.media.push_back(std::move(a));
  }
  // Sections the client dropped from its offer (should not happen in JSEP).
  for (auto it = st.publish_mids.begin(); it != st.publish_mids.end();) {
    if (std::find(seen_mids.begin(), seen_mids.end(), it->first) == seen_mids.end()) {
      (void)room_.close_producer(it->second);
      published_.erase(it->second);
      it = st.publish_mids.erase(it);
    } else {
      ++it;
    }
  }
  if (!bundle.empty()) answer.bundle_groups.push_back(bundle);
  return sdp::serialize(sdp::to_sdp(answer));
}

void SdpNegotiator::set_stream_id(ProducerId producer, std::string stream_id) {
  auto it = published_.find(producer);
  if (it != published_.end()) it->second.subscriber_stream = std::move(stream_id);
}

base::Result<std::string> SdpNegotiator::subscribe_offer(const std::string& participant) {
  auto local = room_.local_params(participant, false);
  if (!local) return base::Status::not_found("sfu: no such participant");
  State& st = states_[participant];
  if (st.session_id == 0) st.session_id = std::hash<std::string>{}(participant) | 1;
  const std::vector<ConsumerInfo> consumers = room_.consumers(participant);
  for (auto& slot : st.subscribe_slots) {
    if (slot.producer == 0) continue;
    const bool alive = std::any_of(consumers.begin(), consumers.end(),
                                   [&](const ConsumerInfo& c) { return c.producer == slot.producer; });
    if (!alive) slot.producer = 0;
  }
  for (const auto& c : consumers) {
    const bool known = std::any_of(st.subscribe_slots.begin(), st.subscribe_slots.end(),
                                   [&](const SubscribeSlot& s) { return s.producer == c.producer; });
    if (known || !published_.contains(c.producer)) continue;
    SubscribeSlot slot;
    slot.mid = std::to_string(st.subscribe_slots.size());
    slot.producer = c.producer;
    slot.kind = c.kind == MediaKind::Audio ? sdp::MediaKind::Audio : sdp::MediaKind::Video;
    st.subscribe_slots.push_back(slot);
  }

  sdp::WebRtcDescription offer;
  offer.origin.session_id = std::to_string(st.session_id);
  offer.origin.session_version = std::to_string(++st.subscribe_version);
  offer.ice_lite = true;
  std::vector<std::string> bundle;
  // Before DTLS is up we let the browser choose (it answers active); after,
  // the role stays as negotiated (RFC 8842 section 5.5).
  const sdp::Setup setup = !st.subscribe_connected                          ? sdp::Setup::ActPass
                           : st.subscribe_role == rtc::dtls::Role::Server ? sdp::Setup::Passive
                                                                          : sdp::Setup::Active;
  for (const auto& slot : st.subscribe_slots) {
    sdp::MediaSection m;
    m.kind = slot.kind;
    m.mid = slot.mid;
    auto ci = std::find_if(consumers.begin(), consumers.end(),
                           [&](const ConsumerInfo& c) { return c.producer == slot.producer; });
    if (slot.producer == 0 || ci == consumers.end()) {
      m.port = 0;
      m.direction = sdp::Direction::Inactive;
      sdp::Codec placeholder;
      placeholder.payload_type = slot.kind == sdp::MediaKind::Audio ? 111 : 96;
      placeholder.name = slot.kind == sdp::MediaKind::Audio ? "opus" : "VP8";
      placeholder.clock_rate = slot.kind == sdp::MediaKind::Audio ? 48000 : 90000;
      placeholder.channels = slot.kind == sdp::MediaKind::Audio ? 2 : 1;
      m.codecs.push_back(placeholder);
      offer.media.push_back(std::move(m));
      continue;
    }
    const Published& pub = published_.at(slot.producer);
    m.direction = sdp::Direction::SendOnly;
    m.codecs.push_back(pub.codec);
    // The SFU's own ids (Room renames the elements of forwarded packets).
    for (const auto& e : pub.extensions) {
      if (!keep_extension(e.uri, m.kind, false)) continue;
      const auto kind = rtp::extension_kind(e.uri);
      const std::uint8_t id =
          kind == rtp::ExtensionKind::AudioLevel ? kSubscriberAudioLevelId : kSubscriberAbsSendTimeId;
      m.extensions.push_back({id, e.uri, std::nullopt, ""});
    }
    fill_transport(m, *local, setup);
    const std::string& stream = pub.subscriber_stream.empty() ? ci->publisher : pub.subscriber_stream;
    const sdp::Msid msid{stream, ci->publisher + "-" + std::to_string(ci->producer)};
    m.msids.push_back(msid);
    m.ssrcs.push_back({ci->ssrc, "parley-" + ci->publisher, msid});
    if (ci->rtx_ssrc != 0 && pub.codec.rtx_payload_type) {
      m.ssrcs.push_back({ci->rtx_ssrc, "parley-" + ci->publisher, msid});
      m.ssrc_groups.push_back({"FID", {ci->ssrc, ci->rtx_ssrc}});
    }
    bundle.push_back(m.mid);
    offer.media.push_back(std::move(m));
  }
  if (!bundle.empty()) offer.bundle_groups.push_back(bundle);
  return sdp::serialize(sdp::to_sdp(offer));
}

base::Status SdpNegotiator::on_subscribe_answer(const std::string& participant, std::string_view answer_text) {
  auto it = states_.find(participant);
  if (it == states_.end()) return base::Status::conflict("sfu: no subscribe offer was made");
  State& st = it->second;
  PARLEY_ASSIGN_OR_RETURN(sdp::WebRtcDescription answer, sdp::parse_webrtc(answer_text));
  if (!st.subscribe_connected) {
    const sdp::MediaSection* ts = transport_section(answer);
    if (!ts) return base::Status::bad_request("sdp: no media section with ICE credentials and a fingerprint");
    if (ts->setup == sdp::Setup::ActPass) return base::Status::bad_request("sdp: an answer cannot be actpass");
    RemoteTransportParams remote;
    remote.ice_ufrag = ts->ice_ufrag;
    remote.fingerprint_algorithm = ts->fingerprint->algorithm;
    remote.fingerprint = ts->fingerprint->value;
    remote.dtls_role = our_role(ts->setup);
    PARLEY_RETURN_IF_ERROR(room_.connect(participant, false, remote));
    st.subscribe_connected = true;
    st.subscribe_role = remote.dtls_role;
  }
  // A section the browser rejected: stop sending into it.
  for (const auto& slot : st.subscribe_slots) {
    if (slot.producer == 0) continue;
    const sdp::MediaSection* m = answer.find_mid(slot.mid);
    if (m && m->port == 0 && !m->bundle_only) (void)room_.pause_consumer(participant, slot.producer, true);
  }
  return base::Status::ok();
}

}  // namespace parley::sfu
