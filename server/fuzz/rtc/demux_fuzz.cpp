// libFuzzer target for the one-port path: a datagram goes through the
// worker's ice::Demuxer (one transport registered by ufrag, one bound path)
// and is also classified (RFC 7983) and handed to the parser of its kind;
// DTLS goes into a listening dtls::Transport (server role), so malformed
// records reach OpenSSL through our BIOs. Nothing may crash, leak or assert.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "rtc/demux.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/ice/demuxer.hpp"
#include "rtc/rtcp/rtcp.hpp"
#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/packet.hpp"
#include "rtc/stun/stun.hpp"

namespace {

using namespace parley::rtc;

struct Sink : dtls::Transport::Listener {
  void on_dtls_send(std::span<const std::uint8_t>) override {}
  void on_dtls_state(dtls::Transport::State) override {}
  void on_dtls_srtp_keys(const dtls::SrtpKeys&) override {}
};

const std::shared_ptr<const dtls::Context>& context() {
  static auto c = *dtls::Context::create();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  {
    ice::Demuxer demux;
    demux.add_ufrag("sfu1", 1);
    const ice::Path bound{*SocketAddress::from_string("192.0.2.2", 5000), false, 0};
    demux.bind(bound, 1);
    if (auto r = demux.route(in, bound); r && r->stun) {
      (void)r->stun->verify_message_integrity(std::string_view("pwd"));
    }
    (void)demux.route(in, ice::Path{*SocketAddress::from_string("::1", 1), true, 2});
  }
  switch (classify(in)) {
    case PacketKind::Stun: {
      auto m = stun::Message::parse(in);
      if (m.ok()) {
        (void)m->verify_message_integrity(std::string_view("pwd"));
        (void)m->verify_fingerprint();
        (void)m->username();
      }
      break;
    }
    case PacketKind::Rtp: {
      std::vector<std::uint8_t> copy(in.begin(), in.end());
      auto p = rtp::Packet::parse(copy);
      if (p.ok()) {
        (void)rtp::read_sdes(*p, 4);
        (void)rtp::read_transport_wide_seq(*p, 3);
        p->set_ssrc(1);
      }
      break;
    }
    case PacketKind::Rtcp: {
      auto c = rtcp::Compound::parse(in);
      if (c.ok()) {
        std::vector<rtcp::TwccPacket> twcc;
        for (const rtcp::PacketView& v : *c) {
          (void)rtcp::parse_receiver_report(v);
          (void)rtcp::parse_nack(v);
          if (auto fb = rtcp::parse_transport_feedback(v); fb.ok()) (void)fb->packets(twcc);
        }
      }
      break;
    }
    case PacketKind::Dtls: {
      Sink sink;
      dtls::Transport t(context(), sink);
      (void)t.set_remote_fingerprint("sha-256", context()->fingerprint_sha256());
      t.start(dtls::Role::Server);
      t.receive(in);
      t.receive(in);
      break;
    }
    case PacketKind::Unknown:
      break;
  }
  return 0;
}
