// SDP (RFC 8866): the generic line grammar, parsed into values and written
// back. WebRTC's meaning of the attributes lives in webrtc.hpp; this layer
// knows only fields and attributes.
//
//   Session description          Media description (one per m=)
//     v=  (protocol version)       m=  (media name and transport address)
//     o=  (originator, session id) i=* c=* b=* k=* a=*
//     s=  (session name)
//     i=* u=* e=* p=* c=* b=*
//     t=  r=*  (one or more)
//     z=* k=* a=*
//
// Lines end in CRLF; a bare LF is accepted (section 5). A type letter this
// parser does not know, a line out of order, or a malformed field makes the
// whole description an error (BadRequest), as section 5 allows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"

namespace parley::rtc::sdp {

// "a=name" (a property) or "a=name:value".
struct Attribute {
  std::string name;
  std::optional<std::string> value;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
  std::string username = "-";
  std::string session_id = "0";
  std::string session_version = "0";
  std::string network_type = "IN";
  std::string address_type = "IP4";
  std::string address = "127.0.0.1";
  friend bool operator==(const Origin&, const Origin&) = default;
};

// c=<nettype> <addrtype> <connection-address>
struct Connection {
  std::string network_type = "IN";
  std::string address_type = "IP4";
  std::string address = "0.0.0.0";
  friend bool operator==(const Connection&, const Connection&) = default;
};

// t=<start-time> <stop-time>, with its r= lines.
struct Timing {
  std::string value = "0 0";
  std::vector<std::string> repeats;
  friend bool operator==(const Timing&, const Timing&) = default;
};

// Attribute lookups shared by the session and media levels.
class AttributeList {
 public:
  std::vector<Attribute> attributes;

  bool has(std::string_view name) const;
  // The value of the first attribute called `name` ("" for a property).
  std::optional<std::string_view> first(std::string_view name) const;
  // Values of every attribute called `name`, in order.
  std::vector<std::string_view> all(std::string_view name) const;
  void add(std::string name) { attributes.push_back({std::move(name), std::nullopt}); }
  void add(std::string name, std::string value) { attributes.push_back({std::move(name), std::move(value)}); }
  friend bool operator==(const AttributeList&, const AttributeList&) = default;
};

// m=<media> <port>[/<number of ports>] <proto> <fmt> ...
struct MediaDescription : AttributeList {
  std::string media;  // audio, video, application, ...
  std::uint16_t port = 9;
  std::optional<std::uint16_t> port_count;
  std::string proto;  // UDP/TLS/RTP/SAVPF, ...
  std::vector<std::string> formats;
  std::optional<std::string> title;  // i=
  std::vector<Connection> connections;
  std::vector<std::string> bandwidths;  // "AS:256", ...
  std::optional<std::string> key;       // k= (obsolete, kept to round trip)
  friend bool operator==(const MediaDescription&, const MediaDescription&) = default;
};

struct SessionDescription : AttributeList {
  int version = 0;
  Origin origin;
  std::string name = "-";
  std::optional<std::string> info;  // i=
  std::optional<std::string> uri;   // u=
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::optional<Connection> connection;
  std::vector<std::string> bandwidths;
  std::vector<Timing> timings;
  std::optional<std::string> zone;  // z=
  std::optional<std::string> key;   // k=
  std::vector<MediaDescription> media;
  friend bool operator==(const SessionDescription&, const SessionDescription&) = default;
};

struct Limits {
  std::size_t max_size = 128 * 1024;
  std::size_t max_lines = 10000;
  std::size_t max_media = 128;
};

base::Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});
// Canonical order, CRLF line ends. parse(serialize(s)) == s for any parsed s.
std::string serialize(const SessionDescription& s);

}  // namespace parley::rtc::sdp
