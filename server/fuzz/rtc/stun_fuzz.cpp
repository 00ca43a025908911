// libFuzzer target: the input is parsed as a STUN message; every accessor and
// both integrity checks run on whatever parses, and a message rebuilt from
// the parsed attributes must parse again. Nothing may crash or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "rtc/demux.hpp"
#include "rtc/stun/stun.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parley::rtc;
  using namespace parley::rtc::stun;
  std::span<const std::uint8_t> in(data, size);
  (void)classify(in);
  (void)is_stun(in);
  (void)message_size(in);
  auto m = Message::parse(in);
  if (!m.ok()) return 0;
  (void)m->username();
  (void)m->software();
  (void)m->priority();
  (void)m->use_candidate();
  (void)m->ice_controlling();
  (void)m->ice_controlled();
  if (auto a = m->xor_mapped_address()) (void)a->to_string();
  if (auto a = m->mapped_address()) (void)a->to_string();
  (void)m->error_code();
  (void)m->unknown_required();
  (void)m->verify_message_integrity(std::string_view("password"));
  (void)m->verify_message_integrity_sha256(std::span<const std::uint8_t>(data, size < 16 ? size : 16));
  (void)m->verify_fingerprint();

  // Rebuilding must leave room for the two attributes it appends.
  if (size > 60000 || m->attributes().size() > kMaxAttributes - 2) return 0;
  MessageBuilder b(m->method(), m->message_class(), m->transaction_id());
  for (const Attribute& a : m->attributes()) {
    if (a.type == attr::kMessageIntegrity || a.type == attr::kMessageIntegritySha256 || a.type == attr::kFingerprint)
      continue;
    b.add(a.type, m->bytes().subspan(a.offset, a.length));
  }
  b.add_message_integrity(std::string_view("k")).add_fingerprint();
  auto again = Message::parse(b.bytes());
  if (!again.ok() || !again->verify_message_integrity(std::string_view("k")) || !again->verify_fingerprint()) {
    std::abort();
  }
  return 0;
}
