#include "rtc/ice/demuxer.hpp"

#include <string_view>

namespace parley::rtc::ice {

std::size_t PathHash::operator()(const Path& p) const noexcept {
  // FNV-1a over the address bytes, port, transport and socket.
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::uint64_t v) {
    h ^= v;
    h *= 1099511628211ull;
  };
  for (std::size_t i = 0; i < p.remote.ip_size(); ++i) mix(p.remote.ip[i]);
  mix(p.remote.port);
  mix(static_cast<std::uint64_t>(p.remote.family));
  mix(p.tcp ? 1 : 0);
  mix(p.local_socket);
  return static_cast<std::size_t>(h);
}

bool Demuxer::add_ufrag(std::string_view ufrag, TransportId transport) {
  auto [it, inserted] = ufrags_.emplace(std::string(ufrag), transport);
  return inserted || it->second == transport;
}

void Demuxer::remove_ufrag(std::string_view ufrag) { ufrags_.erase(std::string(ufrag)); }

void Demuxer::bind(const Path& path, TransportId transport) { paths_[path] = transport; }

void Demuxer::unbind(const Path& path) { paths_.erase(path); }

void Demuxer::remove_transport(TransportId transport) {
  std::erase_if(ufrags_, [&](const auto& kv) { return kv.second == transport; });
  std::erase_if(paths_, [&](const auto& kv) { return kv.second == transport; });
}

std::optional<Demuxer::Routed> Demuxer::route(std::span<const std::uint8_t> datagram, const Path& from) {
  Routed r;
  r.kind = classify(datagram);
  if (r.kind == PacketKind::Unknown) {
    ++counters_.unknown_kind;
    return std::nullopt;
  }
  if (r.kind == PacketKind::Stun) {
    auto m = stun::Message::parse(datagram);
    if (!m.ok()) {
      ++counters_.malformed_stun;
      return std::nullopt;
    }
    if (auto ufrag = recipient_ufrag(*m)) {
      auto it = ufrags_.find(std::string(*ufrag));
      if (it == ufrags_.end()) {
        ++counters_.unknown_ufrag;
        return std::nullopt;
      }
      r.transport = it->second;
      r.stun = std::move(*m);
      ++counters_.routed;
      return r;
    }
    r.stun = std::move(*m);  // no USERNAME (indication, response): by path
  }
  auto it = paths_.find(from);
  if (it == paths_.end()) {
    ++counters_.unknown_path;
    return std::nullopt;
  }
  r.transport = it->second;
  ++counters_.routed;
  return r;
}

}  // namespace parley::rtc::ice
