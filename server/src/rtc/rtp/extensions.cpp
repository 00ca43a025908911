#include "rtc/rtp/extensions.hpp"

#include "rtc/bytes.hpp"

namespace parley::rtc::rtp {

namespace {

constexpr std::array<std::string_view, kExtensionKinds> kUris = {
    "urn:ietf:params:rtp-hdrext:sdes:mid",
    "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
    "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
};

std::optional<std::span<const std::uint8_t>> find(const Packet& p, std::uint8_t id, std::size_t size) {
  if (id == 0) return std::nullopt;
  auto v = p.extension(id);
  if (!v || v->size() != size) return std::nullopt;
  return v;
}

}  // namespace

std::optional<ExtensionKind> extension_kind(std::string_view uri) {
  for (std::size_t i = 0; i < kUris.size(); ++i) {
    if (kUris[i] == uri) return static_cast<ExtensionKind>(i);
  }
  return std::nullopt;
}

std::string_view extension_uri(ExtensionKind kind) { return kUris[static_cast<std::size_t>(kind)]; }

bool ExtensionMap::set(std::string_view uri, std::uint8_t id) {
  auto k = extension_kind(uri);
  if (!k) return false;
  set(*k, id);
  return true;
}

std::optional<std::string_view> read_sdes(const Packet& p, std::uint8_t id) {
  if (id == 0) return std::nullopt;
  auto v = p.extension(id);
  if (!v || v->empty()) return std::nullopt;
  // Senders may pad the text with NULs to fill a one-byte element.
  std::size_t n = v->size();
  while (n > 0 && (*v)[n - 1] == 0) --n;
  if (n == 0) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(v->data()), n);
}

std::optional<AudioLevel> read_audio_level(const Packet& p, std::uint8_t id) {
  auto v = find(p, id, 1);
  if (!v) return std::nullopt;
  return AudioLevel{((*v)[0] & 0x80) != 0, static_cast<std::uint8_t>((*v)[0] & 0x7F)};
}

std::optional<std::uint32_t> read_abs_send_time(const Packet& p, std::uint8_t id) {
  auto v = find(p, id, 3);
  if (!v) return std::nullopt;
  return load_u24(v->data());
}

std::optional<std::uint16_t> read_transport_wide_seq(const Packet& p, std::uint8_t id) {
  auto v = find(p, id, 2);
  if (!v) return std::nullopt;
  return load_u16(v->data());
}

bool write_abs_send_time(Packet& p, std::uint8_t id, std::uint32_t value) {
  return id != 0 && p.set_extension(id, encode_abs_send_time(value));
}

bool write_transport_wide_seq(Packet& p, std::uint8_t id, std::uint16_t seq) {
  return id != 0 && p.set_extension(id, encode_transport_wide_seq(seq));
}

std::array<std::uint8_t, 1> encode_audio_level(AudioLevel level) {
  return {static_cast<std::uint8_t>((level.voice_activity ? 0x80 : 0) | (level.level & 0x7F))};
}

std::array<std::uint8_t, 3> encode_abs_send_time(std::uint32_t value) {
  std::array<std::uint8_t, 3> out{};
  store_u24(out.data(), value & 0xFFFFFF);
  return out;
}

std::array<std::uint8_t, 2> encode_transport_wide_seq(std::uint16_t seq) {
  std::array<std::uint8_t, 2> out{};
  store_u16(out.data(), seq);
  return out;
}

std::uint32_t abs_send_time_from_us(std::int64_t us) {
  // 6.18 fixed point: seconds << 18, keeping 24 bits (wraps every 64 s).
  const auto units = static_cast<std::uint64_t>((static_cast<__int128>(us) << 18) / 1000000);
  return static_cast<std::uint32_t>(units & 0xFFFFFF);
}

}  // namespace parley::rtc::rtp
