// The one-port demultiplexer of a media worker (RFC 7983 for the kind,
// RFC 8445 for the rest): every transport of the worker shares one UDP
// port, so each datagram must be routed to its transport before any state
// is touched.
//   - STUN is routed by the recipient ufrag in USERNAME (a binding request
//     carries it before the path is known), else by path;
//   - DTLS, RTP and RTCP are routed by path only, and a path is known only
//     after ICE validated it (IceServer::Listener::on_ice_path_valid ->
//     bind). Anything from an unknown path is dropped and counted, so media
//     from an address that never completed ICE never reaches a transport.
// Pure: no sockets, no clock. Single-threaded (the worker's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rtc/demux.hpp"
#include "rtc/ice/ice_server.hpp"
#include "rtc/stun/stun.hpp"

namespace parley::rtc::ice {

struct PathHash {
  std::size_t operator()(const Path& p) const noexcept;
};

class Demuxer {
 public:
  using TransportId = std::uint32_t;

  struct Routed {
    PacketKind kind = PacketKind::Unknown;
    TransportId transport = 0;
    std::optional<stun::Message> stun;  // the parsed message, for STUN
  };

  struct Counters {
    std::uint64_t routed = 0;
    std::uint64_t unknown_kind = 0;    // not STUN, DTLS, RTP or RTCP
    std::uint64_t malformed_stun = 0;  // looked like STUN, did not parse
    std::uint64_t unknown_ufrag = 0;   // STUN for no transport of ours
    std::uint64_t unknown_path = 0;    // DTLS/RTP/RTCP (or STUN without USERNAME) from an unbound path
  };

  // Registers a transport's local ufrag (and its replacement after an ICE
  // restart: several ufrags may name one transport). False if the ufrag is
  // taken by another transport.
  bool add_ufrag(std::string_view ufrag, TransportId transport);
  void remove_ufrag(std::string_view ufrag);
  // A validated path; rebinding a path to another transport moves it.
  void bind(const Path& path, TransportId transport);
  void unbind(const Path& path);
  // Forgets every ufrag and path of `transport`.
  void remove_transport(TransportId transport);

  // Where `datagram`, received on `from`, goes; nullopt when it is dropped
  // (see counters()). The datagram must outlive the returned STUN view.
  std::optional<Routed> route(std::span<const std::uint8_t> datagram, const Path& from);

  const Counters& counters() const { return counters_; }
  std::size_t path_count() const { return paths_.size(); }
  std::size_t ufrag_count() const { return ufrags_.size(); }

 private:
  std::unordered_map<std::string, TransportId> ufrags_;
  std::unordered_map<Path, TransportId, PathHash> paths_;
  Counters counters_;
};

}  // namespace parley::rtc::ice
