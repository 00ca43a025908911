// libFuzzer target: the input is parsed as an RTP packet; every accessor and
// typed extension reader runs, the packet is rewritten in place, and a packet
// rebuilt from the parsed parts must parse to the same header and payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parley::rtc::rtp;
  std::vector<std::uint8_t> bytes(data, data + size);
  (void)is_rtp(bytes);
  auto p = Packet::parse(bytes);
  if (!p.ok()) return 0;
  for (std::uint8_t id = 0; id < 16; ++id) {
    (void)read_sdes(*p, id);
    (void)read_audio_level(*p, id);
    (void)read_abs_send_time(*p, id);
    (void)read_transport_wide_seq(*p, id);
  }
  std::vector<std::uint32_t> csrcs;
  for (std::size_t i = 0; i < p->csrc_count(); ++i) csrcs.push_back(p->csrc(i));
  Header h;
  h.marker = p->marker();
  h.payload_type = p->payload_type();
  h.sequence_number = static_cast<std::uint16_t>(p->sequence_number() + 1);
  h.timestamp = p->timestamp();
  h.ssrc = p->ssrc() ^ 1u;
  h.csrcs = csrcs;
  PacketWriter w(h);
  w.force_two_byte(p->extension_form() == ExtensionForm::TwoByte);
  for (const auto& e : p->extensions()) (void)w.add_extension(e.id, p->bytes().subspan(e.offset, e.length));
  std::vector<std::uint8_t> out(size + 4096);
  auto n = w.write(out, p->payload(), static_cast<std::uint8_t>(p->padding_size() > 255 ? 0 : p->padding_size()));
  if (n.ok()) {
    out.resize(*n);
    auto q = Packet::parse(out);
    if (!q.ok() || q->ssrc() != h.ssrc || q->payload().size() != p->payload().size() ||
        (!q->payload().empty() && std::memcmp(q->payload().data(), p->payload().data(), q->payload().size()) != 0)) {
      std::abort();
    }
  }
  p->set_ssrc(1);
  p->set_sequence_number(2);
  p->set_timestamp(3);
  p->set_payload_type(96);
  p->set_marker(!p->marker());
  (void)write_transport_wide_seq(*p, 3, 7);
  (void)write_abs_send_time(*p, 2, 7);
  return 0;
}
