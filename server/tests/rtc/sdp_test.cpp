// SDP: the grammar (RFC 8866) and the WebRTC reading (JSEP, RFC 8829) of a
// real offer from Chromium 156 (fixtures/chromium_offer.sdp, captured from
// createOffer() with a fake camera and microphone), an SFU-style answer
// written from values, and the errors a peer can provoke.
#include <gtest/gtest.h>

#include <string>

#include "rtc/rtp/extensions.hpp"
#include "rtc/sdp/sdp.hpp"
#include "rtc/sdp/webrtc.hpp"
#include "test_util.hpp"

namespace parley::rtc::sdp {
namespace {

std::string offer_text() { return test::read_fixture("chromium_offer.sdp"); }

TEST(Sdp, ChromiumOfferGrammarRoundTrip) {
  const std::string text = offer_text();
  ASSERT_FALSE(text.empty());
  auto s = parse(text);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->version, 0);
  EXPECT_EQ(s->origin.session_id, "3657179479395293317");
  EXPECT_EQ(s->origin.session_version, "2");
  EXPECT_EQ(s->name, "-");
  ASSERT_EQ(s->timings.size(), 1u);
  EXPECT_EQ(s->timings[0].value, "0 0");
  EXPECT_EQ(s->first("group"), "BUNDLE 0 1");
  EXPECT_TRUE(s->has("extmap-allow-mixed"));
  ASSERT_EQ(s->media.size(), 2u);
  EXPECT_EQ(s->media[0].media, "audio");
  EXPECT_EQ(s->media[0].port, 35761);
  EXPECT_EQ(s->media[0].proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(s->media[0].formats.size(), 8u);
  ASSERT_EQ(s->media[0].connections.size(), 1u);
  EXPECT_EQ(s->media[0].connections[0].address, "192.0.2.2");
  EXPECT_EQ(s->media[1].all("rtcp-fb").size(), 50u);  // 10 codecs x 5
  // Written back it is the same text, byte for byte.
  EXPECT_EQ(serialize(*s), text);
}

TEST(Sdp, ChromiumOfferWebRtcView) {
  auto d = parse_webrtc(offer_text());
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_TRUE(d->extmap_allow_mixed);
  ASSERT_EQ(d->bundle_groups.size(), 1u);
  EXPECT_EQ(d->bundle_groups[0], (std::vector<std::string>{"0", "1"}));
  ASSERT_EQ(d->media.size(), 2u);

  const MediaSection& audio = d->media[0];
  EXPECT_EQ(audio.kind, MediaKind::Audio);
  EXPECT_EQ(audio.mid, "0");
  EXPECT_EQ(audio.direction, Direction::SendRecv);
  EXPECT_EQ(audio.ice_ufrag, "w9UT");
  EXPECT_EQ(audio.ice_pwd, "C31m199Vn7rchJJmb8ViXRmL");
  EXPECT_EQ(audio.ice_options, std::vector<std::string>{"trickle"});
  ASSERT_TRUE(audio.fingerprint.has_value());
  EXPECT_EQ(audio.fingerprint->algorithm, "sha-256");
  EXPECT_EQ(audio.fingerprint->value.size(), 32u * 3 - 1);
  EXPECT_EQ(audio.setup, Setup::ActPass);
  EXPECT_TRUE(audio.rtcp_mux);
  EXPECT_TRUE(audio.rtcp_rsize);
  ASSERT_EQ(audio.msids.size(), 1u);
  EXPECT_EQ(audio.msids[0].stream, "be39759e-da14-4e4a-8bd7-9e9c75c62bd6");
  EXPECT_EQ(audio.msids[0].track, "cedf13fe-ec56-4c46-9e96-8d9f74884ec3");
  ASSERT_EQ(audio.candidates.size(), 4u);
  EXPECT_EQ(audio.candidates[0].priority, 2122194687u);
  EXPECT_EQ(audio.candidates[0].type, "host");
  EXPECT_EQ(audio.candidates[1].address, "fd00::2");
  EXPECT_EQ(audio.candidates[2].tcp_type, "active");
  const Codec* opus = audio.find_codec("opus");
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->payload_type, 111);
  EXPECT_EQ(opus->clock_rate, 48000u);
  EXPECT_EQ(opus->channels, 2);
  EXPECT_TRUE(opus_in_band_fec(*opus));
  EXPECT_FALSE(opus_dtx(*opus));
  EXPECT_EQ(opus->parameter("minptime"), "10");
  EXPECT_TRUE(opus->has_feedback("transport-cc"));
  EXPECT_EQ(audio.codecs.front().payload_type, 111);  // preference order kept
  const Codec* red = audio.find_codec("red");
  ASSERT_NE(red, nullptr);
  EXPECT_EQ(red->parameters.front().first, "111/111");
  ASSERT_EQ(audio.ssrcs.size(), 1u);
  EXPECT_EQ(audio.ssrcs[0].ssrc, 3382146835u);
  EXPECT_EQ(audio.ssrcs[0].cname, "M/VuwF3DafXQpRX7");
  ASSERT_TRUE(audio.ssrcs[0].msid.has_value());

  // Header extensions map onto the RTP layer's kinds.
  rtp::ExtensionMap map;
  for (const auto& e : audio.extensions) map.set(e.uri, e.id);
  EXPECT_EQ(map.id(rtp::ExtensionKind::AudioLevel), 1);
  EXPECT_EQ(map.id(rtp::ExtensionKind::AbsSendTime), 2);
  EXPECT_EQ(map.id(rtp::ExtensionKind::TransportWideSeq), 3);
  EXPECT_EQ(map.id(rtp::ExtensionKind::Mid), 4);

  const MediaSection& video = d->media[1];
  EXPECT_EQ(video.kind, MediaKind::Video);
  EXPECT_EQ(video.mid, "1");
  EXPECT_EQ(video.extensions.size(), 11u);
  const Codec* vp8 = video.find_codec("VP8");
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->payload_type, 96);
  EXPECT_EQ(vp8->rtx_payload_type, 97);
  for (const char* fb : {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}) {
    EXPECT_TRUE(vp8->has_feedback(fb)) << fb;
  }
  // Of the H.264 variants only 108 and 114 are constrained baseline, and of
  // those 108 uses packetization-mode 1.
  std::vector<int> cb_mode1;
  for (const Codec& c : video.codecs) {
    if (h264_constrained_baseline(c) && h264_packetization_mode(c) == 1) cb_mode1.push_back(c.payload_type);
  }
  EXPECT_EQ(cb_mode1, std::vector<int>{108});
  const Codec* h264_108 = nullptr;
  for (const Codec& c : video.codecs) {
    if (c.payload_type == 108) h264_108 = &c;
  }
  ASSERT_NE(h264_108, nullptr);
  EXPECT_EQ(h264_108->rtx_payload_type, 109);
  for (const Codec& c : video.codecs) EXPECT_FALSE(codec_is(c, "rtx"));
  EXPECT_EQ(video.codecs.size(), 12u);  // 23 payload types, 11 of them RTX
  ASSERT_EQ(video.ssrc_groups.size(), 1u);
  EXPECT_EQ(video.ssrc_groups[0].semantics, "FID");
  EXPECT_EQ(video.ssrc_groups[0].ssrcs, (std::vector<std::uint32_t>{2936109109u, 2839751320u}));
  ASSERT_EQ(video.ssrcs.size(), 2u);

  // The view written back and read again is the same view.
  const std::string again = serialize(to_sdp(*d));
  auto d2 = parse_webrtc(again);
  ASSERT_TRUE(d2.ok()) << d2.status().to_string() << "\n" << again;
  EXPECT_EQ(*d2, *d);
}

// What the SFU will answer: ICE-lite, passive DTLS, Opus with FEC and DTX,
// VP8 and constrained-baseline H.264 with RTX, one BUNDLE.
TEST(Sdp, SfuAnswerFromValues) {
  WebRtcDescription d;
  d.origin.session_id = "4611731400430051336";
  d.ice_lite = true;
  d.extmap_allow_mixed = true;
  d.bundle_groups = {{"0", "1"}};
  MediaSection audio;
  audio.kind = MediaKind::Audio;
  audio.mid = "0";
  audio.direction = Direction::RecvOnly;
  audio.ice_ufrag = "sfu1";
  audio.ice_pwd = "0123456789abcdefghijkl";
  audio.fingerprint = Fingerprint{"sha-256", "AB:CD:EF"};
  audio.setup = Setup::Passive;
  audio.rtcp_mux = true;
  audio.rtcp_rsize = true;
  Codec opus;
  opus.payload_type = 111;
  opus.name = "opus";
  opus.clock_rate = 48000;
  opus.channels = 2;
  opus.parameters = {{"minptime", "10"}, {"useinbandfec", "1"}, {"usedtx", "1"}};
  opus.feedback = {"transport-cc"};
  audio.codecs.push_back(opus);
  audio.extensions.push_back({1, std::string(rtp::extension_uri(rtp::ExtensionKind::AudioLevel)), {}, ""});
  audio.extensions.push_back({4, std::string(rtp::extension_uri(rtp::ExtensionKind::Mid)), {}, ""});
  auto cand = Candidate::parse("1 1 udp 2130706431 203.0.113.10 40000 typ host generation 0");
  ASSERT_TRUE(cand.ok());
  audio.candidates.push_back(*cand);
  audio.end_of_candidates = true;
  MediaSection video = audio;
  video.kind = MediaKind::Video;
  video.mid = "1";
  video.direction = Direction::SendOnly;
  video.codecs.clear();
  Codec vp8;
  vp8.payload_type = 96;
  vp8.name = "VP8";
  vp8.clock_rate = 90000;
  vp8.feedback = {"nack", "nack pli", "ccm fir", "transport-cc"};
  vp8.rtx_payload_type = 97;
  video.codecs.push_back(vp8);
  Codec h264 = vp8;
  h264.payload_type = 108;
  h264.name = "H264";
  h264.parameters = {{"level-asymmetry-allowed", "1"}, {"packetization-mode", "1"}, {"profile-level-id", "42e01f"}};
  h264.rtx_payload_type = 109;
  video.codecs.push_back(h264);
  video.msids.push_back({"peer-stream", "peer-video"});
  video.ssrcs.push_back({1111, "sfu", Msid{"peer-stream", "peer-video"}});
  video.ssrcs.push_back({2222, "sfu", Msid{"peer-stream", "peer-video"}});
  video.ssrc_groups.push_back({"FID", {1111, 2222}});
  d.media = {audio, video};

  const std::string text = serialize(to_sdp(d));
  EXPECT_NE(text.find("a=ice-lite\r\n"), std::string::npos);
  EXPECT_NE(text.find("m=video 9 UDP/TLS/RTP/SAVPF 96 97 108 109\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=fmtp:97 apt=96\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=ssrc-group:FID 1111 2222\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=setup:passive\r\n"), std::string::npos);
  auto back = parse_webrtc(text);
  ASSERT_TRUE(back.ok()) << back.status().to_string() << "\n" << text;
  EXPECT_EQ(*back, d);
  EXPECT_TRUE(opus_dtx(back->media[0].codecs[0]));
  EXPECT_TRUE(h264_constrained_baseline(back->media[1].codecs[1]));
}

TEST(Sdp, H264Profiles) {
  Codec c;
  c.name = "h264";
  auto with = [&](const char* id) {
    c.parameters = {{"profile-level-id", id}};
    return h264_constrained_baseline(c);
  };
  EXPECT_TRUE(with("42e01f"));
  EXPECT_TRUE(with("42C02A"));
  EXPECT_FALSE(with("42001f"));  // Baseline, not constrained
  EXPECT_TRUE(with("4d801f"));   // Main with constraint_set0: decodable as CB
  EXPECT_FALSE(with("4d001f"));
  EXPECT_FALSE(with("64001f"));  // High
  EXPECT_FALSE(with("42e0"));
  EXPECT_FALSE(with("zz e01f"));
  c.parameters.clear();
  EXPECT_FALSE(h264_constrained_baseline(c));
  EXPECT_EQ(h264_packetization_mode(c), 0);
}

TEST(Sdp, CandidateGrammar) {
  auto c = Candidate::parse("842163049 1 udp 1677729535 198.51.100.7 50000 typ srflx raddr 10.0.0.2 rport 50000 generation 0");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->type, "srflx");
  EXPECT_EQ(c->related_address, "10.0.0.2");
  EXPECT_EQ(c->related_port, 50000);
  EXPECT_EQ(c->to_string(),
            "842163049 1 udp 1677729535 198.51.100.7 50000 typ srflx raddr 10.0.0.2 rport 50000 generation 0");
  auto tcp = Candidate::parse("1 1 tcp 1518214911 192.0.2.2 9 typ host tcptype passive");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->tcp_type, "passive");
  EXPECT_FALSE(Candidate::parse("1 1 udp 1 192.0.2.2 9 host").ok());
  EXPECT_FALSE(Candidate::parse("1 1 udp x 192.0.2.2 9 typ host").ok());
  EXPECT_FALSE(Candidate::parse("1 1 udp 1 192.0.2.2 70000 typ host").ok());
  EXPECT_FALSE(Candidate::parse("1 1 udp 1 192.0.2.2 9 typ host generation").ok());
}

// Replaces `from` with `to` in the Chromium offer and expects an error.
void expect_rejected(const std::string& from, const std::string& to, const char* why) {
  std::string text = offer_text();
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  auto d = parse_webrtc(text);
  EXPECT_FALSE(d.ok()) << why;
  if (!d.ok()) {
    EXPECT_EQ(d.error().code(), base::Code::BadRequest);
  }
}

TEST(Sdp, RejectsWhatAWebRtcPeerMustNotSend) {
  expect_rejected("a=mid:0\r\n", "", "no mid");
  expect_rejected("a=mid:1\r\n", "a=mid:0\r\n", "duplicate mid");
  expect_rejected("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 7", "BUNDLE names an unknown mid");
  expect_rejected("a=fmtp:97 apt=96", "a=fmtp:97 apt=95", "rtx repairs an unknown codec");
  expect_rejected("a=fmtp:97 apt=96", "a=fmtp:97 x=1", "rtx without apt");
  expect_rejected("a=rtpmap:96 VP8/90000\r\n", "", "dynamic type without rtpmap");
  expect_rejected("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/zero", "bad clock rate");
  expect_rejected("a=extmap:14 ", "a=extmap:0 ", "extmap id 0");
  expect_rejected("a=extmap:13 ", "a=extmap:14 ", "extmap id reused");
  expect_rejected("a=fingerprint:sha-256 82:BE", "a=fingerprint:sha-256 82BE", "bad fingerprint");
  expect_rejected("a=setup:actpass", "a=setup:sideways", "bad setup");
  expect_rejected("m=audio 35761", "m=audio 357610", "bad port");
  expect_rejected("m=audio 35761 UDP/TLS/RTP/SAVPF 111", "m=audio 35761 UDP/TLS/RTP/SAVPF x111", "bad format");
  expect_rejected("m=video", "m=text", "unsupported media");
  expect_rejected("a=candidate:1322213564 1 udp 2122194687 192.0.2.2 35761 typ host",
                  "a=candidate:1322213564 1 udp 2122194687 192.0.2.2 35761 host", "bad candidate");
  expect_rejected("a=ssrc-group:FID 2936109109", "a=ssrc-group:FID x", "bad ssrc-group");
}

TEST(Sdp, CredentialsAndFingerprintAreRequiredWhereUsed) {
  std::string text = offer_text();
  // Remove every ice-pwd: both sections are in use (port != 0).
  for (std::size_t at; (at = text.find("a=ice-pwd:C31m199Vn7rchJJmb8ViXRmL\r\n")) != std::string::npos;) {
    text.erase(at, std::string("a=ice-pwd:C31m199Vn7rchJJmb8ViXRmL\r\n").size());
  }
  EXPECT_FALSE(parse_webrtc(text).ok());
  // Session-level credentials and fingerprint serve every section.
  text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n"
         "a=fingerprint:SHA-256 ab:cd\r\na=setup:active\r\n"
         "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\na=recvonly\r\n";
  auto d = parse_webrtc(text);
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(d->media[0].ice_ufrag, "abcd");
  EXPECT_EQ(d->media[0].fingerprint->algorithm, "sha-256");
  EXPECT_EQ(d->media[0].fingerprint->value, "AB:CD");
  EXPECT_EQ(d->media[0].direction, Direction::RecvOnly);
  ASSERT_EQ(d->media[0].codecs.size(), 1u);
  EXPECT_EQ(d->media[0].codecs[0].name, "PCMU");  // static type without rtpmap
  // A rejected section (port 0) needs neither.
  text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n"
         "a=rtpmap:96 VP8/90000\r\na=inactive\r\n";
  EXPECT_TRUE(parse_webrtc(text).ok());
}

TEST(Sdp, GrammarErrors) {
  auto bad = [](const std::string& text, const char* why) {
    auto s = parse(text);
    EXPECT_FALSE(s.ok()) << why;
  };
  const std::string head = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  EXPECT_TRUE(parse(head).ok());
  EXPECT_TRUE(parse("v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nt=0 0\n").ok());  // bare LF accepted
  bad("", "empty");
  bad("o=- 1 1 IN IP4 127.0.0.1\r\nv=0\r\ns=-\r\nt=0 0\r\n", "v= not first");
  bad("v=1\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "version 1");
  bad("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n", "short origin");
  bad("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n", "no t=");
  bad("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nt=0 0\r\n", "no s=");
  bad(head + "x=1\r\n", "unknown type");
  bad(head + "c=IN IP4 0.0.0.0\r\n", "c= after t=");
  bad(head + "a=\r\n", "empty attribute name");
  bad(head + "a=a b:c\r\n", "space in attribute name");
  bad(head + "m=audio 9 RTP/AVP\r\n", "m= without formats");
  bad(head + "m=audio 9/x RTP/AVP 0\r\n", "bad port count");
  bad(head + "m=audio 9 RTP/AVP 0\r\nu=http://x\r\n", "u= in a media section");
  bad(head + "m=audio 9 RTP/AVP 0\r\na=x\r\nc=IN IP4 0.0.0.0\r\n", "c= after a= in a media section");
  bad(head + "m=audio  9 RTP/AVP 0\r\n", "double space");
  bad(head + std::string("a=x\0y\r\n", 7), "NUL");
  bad("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\ns=-\r\nt=0 0\r\n", "two s=");
  Limits small;
  small.max_media = 1;
  EXPECT_FALSE(parse(head + "m=audio 9 RTP/AVP 0\r\nm=audio 9 RTP/AVP 0\r\n", small).ok());
  small.max_size = 10;
  EXPECT_FALSE(parse(head, small).ok());
}

TEST(Sdp, GrammarKeepsEveryField) {
  const std::string text =
      "v=0\r\no=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\ns=Call to John Smith\r\n"
      "i=SDP Offer #1\r\nu=http://www.jdoe.example.com/home.html\r\ne=Jane Doe <jane@jdoe.example.com>\r\n"
      "p=+1 617 555-6011\r\nc=IN IP4 198.51.100.1\r\nb=AS:2000\r\nt=0 0\r\nr=7d 1h 0 25h\r\nz=2882844526 -1h\r\n"
      "k=prompt\r\na=recvonly\r\nm=audio 49170 RTP/AVP 0\r\ni=voice\r\nc=IN IP6 2001:db8::2\r\nb=AS:64\r\n"
      "k=prompt\r\na=ptime:20\r\nm=video 51372/2 RTP/AVP 99\r\nc=IN IP6 2001:db8::2\r\na=rtpmap:99 h263-1998/90000\r\n";
  auto s = parse(text);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->info, "SDP Offer #1");
  EXPECT_EQ(s->emails.size(), 1u);
  EXPECT_EQ(s->timings[0].repeats.size(), 1u);
  EXPECT_EQ(s->media[1].port_count, 2);
  EXPECT_EQ(s->media[0].title, "voice");
  EXPECT_EQ(serialize(*s), text);
  auto again = parse(serialize(*s));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *s);
}

}  // namespace
}  // namespace parley::rtc::sdp
