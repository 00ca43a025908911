#include "rtc/sdp/webrtc.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace parley::rtc::sdp {

namespace {

using base::Result;
using base::Status;

Status bad(std::string m) { return Status::bad_request("sdp: " + std::move(m)); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
std::optional<T> number(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::uint8_t> payload_type(std::string_view s) {
  auto v = number<unsigned>(s);
  if (!v || *v > 127) return std::nullopt;
  return static_cast<std::uint8_t>(*v);
}

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos == s.size()) break;
    std::size_t end = s.find(' ', pos);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::optional<Direction> direction_of(std::string_view s) {
  if (s == "sendrecv") return Direction::SendRecv;
  if (s == "sendonly") return Direction::SendOnly;
  if (s == "recvonly") return Direction::RecvOnly;
  if (s == "inactive") return Direction::Inactive;
  return std::nullopt;
}

// "k=v;k2=v2" (fmtp, RFC 8866 section 6.15 leaves the syntax to the codec;
// every WebRTC codec uses this form). A piece without '=' is kept as a key
// with an empty value ("111/111" for RED).
Parameters parse_parameters(std::string_view s) {
  Parameters out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t end = s.find(';', pos);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view piece = trim(s.substr(pos, end - pos));
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(std::string(piece), std::string());
      } else {
        out.emplace_back(std::string(trim(piece.substr(0, eq))), std::string(trim(piece.substr(eq + 1))));
      }
    }
    pos = end + 1;
  }
  return out;
}

std::string write_parameters(const Parameters& p) {
  std::string out;
  for (const auto& [k, v] : p) {
    if (!out.empty()) out += ';';
    out += k;
    if (!v.empty()) out += "=" + v;
  }
  return out;
}

bool valid_fingerprint_value(std::string_view v) {
  // Hex pairs separated by ':' (RFC 8122 section 5).
  if (v.size() < 2 || (v.size() + 1) % 3 != 0) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (i % 3 == 2) {
      if (c != ':') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

struct StaticType {
  std::uint8_t pt;
  const char* name;
  std::uint32_t rate;
};
// RFC 3551 table 4: the static types a WebRTC peer may list without rtpmap.
constexpr StaticType kStatic[] = {{0, "PCMU", 8000}, {8, "PCMA", 8000}, {9, "G722", 8000}, {13, "CN", 8000}};

std::optional<std::uint32_t> u32(std::string_view s) { return number<std::uint32_t>(s); }
std::optional<std::uint16_t> u16(std::string_view s) { return number<std::uint16_t>(s); }

Status read_rtp_section(const MediaDescription& m, MediaSection& out) {
  // rtpmap, fmtp and rtcp-fb by payload type; the m= line gives the order.
  struct Raw {
    bool mapped = false;
    Codec codec;
  };
  std::map<std::uint8_t, Raw> raw;
  std::vector<std::uint8_t> order;
  for (const auto& f : m.formats) {
    auto pt = payload_type(f);
    if (!pt) return bad("m=" + m.media + " format '" + f + "' is not a payload type");
    if (raw.count(*pt)) continue;
    order.push_back(*pt);
    raw[*pt].codec.payload_type = *pt;
  }
  for (const auto& a : m.attributes) {
    if (!a.value) continue;
    const std::string_view v = *a.value;
    const std::size_t sp = v.find(' ');
    if (a.name == "rtpmap" || a.name == "fmtp" || a.name == "rtcp-fb") {
      if (sp == std::string_view::npos) return bad("a=" + a.name + " without a value");
      const std::string_view key = v.substr(0, sp);
      const std::string_view rest = trim(v.substr(sp + 1));
      if (a.name == "rtcp-fb" && key == "*") {
        for (auto& [pt, r] : raw) r.codec.feedback.emplace_back(rest);
        continue;
      }
      auto pt = payload_type(key);
      if (!pt) return bad("a=" + a.name + " with a bad payload type");
      auto it = raw.find(*pt);
      if (it == raw.end()) continue;  // not on the m= line: ignored (RFC 8866 section 6.6)
      Codec& c = it->second.codec;
      if (a.name == "rtpmap") {
        // <encoding name>/<clock rate>[/<encoding parameters>]
        const std::size_t s1 = rest.find('/');
        if (s1 == std::string_view::npos || s1 == 0) return bad("a=rtpmap needs <name>/<clock rate>");
        const std::size_t s2 = rest.find('/', s1 + 1);
        auto rate = u32(rest.substr(s1 + 1, s2 == std::string_view::npos ? std::string_view::npos : s2 - s1 - 1));
        if (!rate || *rate == 0) return bad("a=rtpmap with a bad clock rate");
        c.name = rest.substr(0, s1);
        c.clock_rate = *rate;
        if (s2 != std::string_view::npos) {
          auto ch = number<unsigned>(rest.substr(s2 + 1));
          if (!ch || *ch == 0 || *ch > 255) return bad("a=rtpmap with bad channels");
          c.channels = static_cast<std::uint8_t>(*ch);
        }
        it->second.mapped = true;
      } else if (a.name == "fmtp") {
        auto p = parse_parameters(rest);
        c.parameters.insert(c.parameters.end(), p.begin(), p.end());
      } else {
        c.feedback.emplace_back(rest);
      }
    }
  }
  // Static payload types may come without rtpmap.
  for (auto& [pt, r] : raw) {
    if (r.mapped) continue;
    bool known = false;
    for (const auto& s : kStatic) {
      if (s.pt == pt) {
        r.codec.name = s.name;
        r.codec.clock_rate = s.rate;
        known = true;
      }
    }
    if (!known) return bad("payload type " + std::to_string(pt) + " has no a=rtpmap");
  }
  // Fold RTX into the codec it repairs.
  for (std::uint8_t pt : order) {
    Codec& c = raw[pt].codec;
    if (!codec_is(c, "rtx")) continue;
    auto apt = c.parameter("apt");
    if (!apt) return bad("rtx payload type " + std::to_string(pt) + " without apt");
    auto target = payload_type(*apt);
    if (!target || !raw.count(*target) || codec_is(raw[*target].codec, "rtx")) {
      return bad("rtx payload type " + std::to_string(pt) + " repairs an unknown codec");
    }
    Codec& primary = raw[*target].codec;
    if (primary.rtx_payload_type) return bad("two rtx payload types for one codec");
    primary.rtx_payload_type = pt;
    for (const auto& kv : c.parameters) {
      if (kv.first != "apt") primary.rtx_parameters.push_back(kv);
    }
  }
  for (std::uint8_t pt : order) {
    if (!codec_is(raw[pt].codec, "rtx")) out.codecs.push_back(std::move(raw[pt].codec));
  }
  return Status::ok();
}

Status read_section(const SessionDescription& s, const MediaDescription& m, MediaSection& out) {
  if (m.media == "audio") {
    out.kind = MediaKind::Audio;
  } else if (m.media == "video") {
    out.kind = MediaKind::Video;
  } else if (m.media == "application") {
    out.kind = MediaKind::Application;
  } else {
    return bad("unsupported media '" + m.media + "'");
  }
  out.port = m.port;
  out.proto = m.proto;
  auto mid = m.first("mid");
  if (!mid || mid->empty()) return bad("m=" + m.media + " without a=mid");
  out.mid = *mid;
  out.ice_ufrag = std::string(m.first("ice-ufrag").value_or(s.first("ice-ufrag").value_or("")));
  out.ice_pwd = std::string(m.first("ice-pwd").value_or(s.first("ice-pwd").value_or("")));
  if (auto opts = m.first("ice-options").has_value() ? m.first("ice-options") : s.first("ice-options")) {
    for (auto t : tokens(*opts)) out.ice_options.emplace_back(t);
  }
  auto fp = m.first("fingerprint").has_value() ? m.first("fingerprint") : s.first("fingerprint");
  if (fp) {
    auto t = tokens(*fp);
    if (t.size() != 2 || !valid_fingerprint_value(t[1])) return bad("a=fingerprint is malformed");
    Fingerprint f;
    f.algorithm = t[0];
    std::transform(f.algorithm.begin(), f.algorithm.end(), f.algorithm.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    f.value = t[1];
    std::transform(f.value.begin(), f.value.end(), f.value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    out.fingerprint = std::move(f);
  }
  if (auto setup = m.first("setup").has_value() ? m.first("setup") : s.first("setup")) {
    if (*setup == "actpass") {
      out.setup = Setup::ActPass;
    } else if (*setup == "active") {
      out.setup = Setup::Active;
    } else if (*setup == "passive") {
      out.setup = Setup::Passive;
    } else if (*setup == "holdconn") {
      out.setup = Setup::HoldConn;
    } else {
      return bad("a=setup:" + std::string(*setup) + " is not a role");
    }
  }
  out.bundle_only = m.has("bundle-only");
  const bool in_use = out.port != 0 || out.bundle_only;
  if (in_use) {
    if (out.ice_ufrag.empty() || out.ice_pwd.empty()) return bad("mid " + out.mid + " without ICE credentials");
    if (!out.fingerprint) return bad("mid " + out.mid + " without a DTLS fingerprint");
  }
  out.rtcp_mux = m.has("rtcp-mux");
  out.rtcp_rsize = m.has("rtcp-rsize");
  out.end_of_candidates = m.has("end-of-candidates");
  for (const auto& a : m.attributes) {
    if (auto d = direction_of(a.name); d && !a.value) out.direction = *d;
  }
  for (auto v : m.all("msid")) {
    auto t = tokens(v);
    if (t.empty() || t.size() > 2) return bad("a=msid is malformed");
    out.msids.push_back({std::string(t[0]), t.size() == 2 ? std::string(t[1]) : std::string()});
  }
  for (auto v : m.all("extmap")) {
    // <id>[/<direction>] <uri> [<extensionattributes>]
    auto t = tokens(v);
    if (t.size() < 2) return bad("a=extmap is malformed");
    ExtensionMapping e;
    const std::size_t slash = t[0].find('/');
    auto id = number<unsigned>(t[0].substr(0, slash));
    if (!id || *id == 0 || *id > 255) return bad("a=extmap id outside 1..255");
    e.id = static_cast<std::uint8_t>(*id);
    if (slash != std::string_view::npos) {
      auto d = direction_of(t[0].substr(slash + 1));
      if (!d) return bad("a=extmap with a bad direction");
      e.direction = d;
    }
    e.uri = t[1];
    const std::size_t after = static_cast<std::size_t>(t[1].data() - v.data()) + t[1].size();
    e.attributes = std::string(trim(v.substr(after)));
    for (const auto& other : out.extensions) {
      if (other.id == e.id) return bad("a=extmap id used twice");
    }
    out.extensions.push_back(std::move(e));
  }
  for (auto v : m.all("ssrc")) {
    // <ssrc-id> <attribute>[:<value>]
    const std::size_t sp = v.find(' ');
    auto ssrc = u32(v.substr(0, sp));
    if (!ssrc || sp == std::string_view::npos) return bad("a=ssrc is malformed");
    auto it = std::find_if(out.ssrcs.begin(), out.ssrcs.end(), [&](const auto& d) { return d.ssrc == *ssrc; });
    if (it == out.ssrcs.end()) {
      out.ssrcs.push_back({*ssrc, {}, std::nullopt});
      it = out.ssrcs.end() - 1;
    }
    const std::string_view attr = v.substr(sp + 1);
    const std::size_t colon = attr.find(':');
    const std::string_view name = attr.substr(0, colon);
    const std::string_view value = colon == std::string_view::npos ? std::string_view() : attr.substr(colon + 1);
    if (name == "cname") {
      it->cname = value;
    } else if (name == "msid") {
      auto t = tokens(value);
      if (t.empty() || t.size() > 2) return bad("a=ssrc msid is malformed");
      it->msid = Msid{std::string(t[0]), t.size() == 2 ? std::string(t[1]) : std::string()};
    }
  }
  for (auto v : m.all("ssrc-group")) {
    auto t = tokens(v);
    if (t.size() < 2) return bad("a=ssrc-group is malformed");
    SsrcGroup g;
    g.semantics = t[0];
    for (std::size_t i = 1; i < t.size(); ++i) {
      auto ssrc = u32(t[i]);
      if (!ssrc) return bad("a=ssrc-group with a bad ssrc");
      g.ssrcs.push_back(*ssrc);
    }
    out.ssrc_groups.push_back(std::move(g));
  }
  for (auto v : m.all("candidate")) {
    PARLEY_ASSIGN_OR_RETURN(Candidate c, Candidate::parse(v));
    out.candidates.push_back(std::move(c));
  }
  if (out.kind == MediaKind::Application) {
    out.formats = m.formats;
    if (auto p = m.first("sctp-port")) {
      auto port = u16(*p);
      if (!port) return bad("a=sctp-port is malformed");
      out.sctp_port = *port;
    }
    if (auto p = m.first("max-message-size")) {
      auto size = u32(*p);
      if (!size) return bad("a=max-message-size is malformed");
      out.max_message_size = *size;
    }
    return Status::ok();
  }
  return read_rtp_section(m, out);
}

}  // namespace

std::string_view to_string(MediaKind k) {
  switch (k) {
    case MediaKind::Audio: return "audio";
    case MediaKind::Video: return "video";
    case MediaKind::Application: return "application";
  }
  return "audio";
}

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

std::string_view to_string(Setup s) {
  switch (s) {
    case Setup::ActPass: return "actpass";
    case Setup::Active: return "active";
    case Setup::Passive: return "passive";
    case Setup::HoldConn: return "holdconn";
  }
  return "actpass";
}

std::optional<std::string_view> Codec::parameter(std::string_view key) const {
  for (const auto& [k, v] : parameters) {
    if (iequals(k, key)) return std::string_view(v);
  }
  return std::nullopt;
}

bool Codec::has_feedback(std::string_view fb) const {
  return std::find(feedback.begin(), feedback.end(), fb) != feedback.end();
}

bool codec_is(const Codec& c, std::string_view name) { return iequals(c.name, name); }

bool opus_in_band_fec(const Codec& c) { return codec_is(c, "opus") && c.parameter("useinbandfec") == "1"; }
bool opus_dtx(const Codec& c) { return codec_is(c, "opus") && c.parameter("usedtx") == "1"; }

bool h264_constrained_baseline(const Codec& c) {
  if (!codec_is(c, "H264")) return false;
  auto id = c.parameter("profile-level-id");
  if (!id || id->size() != 6) return false;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(id->data(), id->data() + 6, v, 16);
  if (ec != std::errc() || p != id->data() + 6) return false;
  const unsigned profile = v >> 16;
  const unsigned iop = (v >> 8) & 0xFF;
  // RFC 6184 table 5: constraint_set0 = 0x80, set1 = 0x40, set2 = 0x20.
  if (profile == 0x42) return (iop & 0x40) != 0;
  if (profile == 0x4D) return (iop & 0x80) != 0;
  if (profile == 0x58) return (iop & 0xC0) == 0xC0;
  return false;
}

int h264_packetization_mode(const Codec& c) {
  auto m = c.parameter("packetization-mode");
  if (!m) return 0;
  auto v = number<int>(*m);
  return v.value_or(-1);
}

const Codec* MediaSection::find_codec(std::string_view name) const {
  for (const auto& c : codecs) {
    if (codec_is(c, name)) return &c;
  }
  return nullptr;
}

const MediaSection* WebRtcDescription::find_mid(std::string_view mid) const {
  for (const auto& m : media) {
    if (m.mid == mid) return &m;
  }
  return nullptr;
}

// foundation component transport priority address port "typ" type
// [raddr a] [rport p] [tcptype t] *(key value)
Result<Candidate> Candidate::parse(std::string_view value) {
  auto t = tokens(value);
  if (t.size() < 8 || t[6] != "typ") return bad("a=candidate is malformed");
  Candidate c;
  c.foundation = t[0];
  auto component = u16(t[1]);
  auto priority = u32(t[3]);
  auto port = u16(t[5]);
  if (!component || !priority || !port || c.foundation.empty() || c.foundation.size() > 32) {
    return bad("a=candidate with a bad field");
  }
  c.component = *component;
  c.transport = t[2];
  c.priority = *priority;
  c.address = t[4];
  c.port = *port;
  c.type = t[7];
  for (std::size_t i = 8; i < t.size(); i += 2) {
    if (i + 1 >= t.size()) return bad("a=candidate extension without a value");
    const std::string_view k = t[i], v = t[i + 1];
    if (k == "raddr") {
      c.related_address = std::string(v);
    } else if (k == "rport") {
      auto rp = u16(v);
      if (!rp) return bad("a=candidate with a bad rport");
      c.related_port = *rp;
    } else if (k == "tcptype") {
      c.tcp_type = std::string(v);
    } else {
      c.extensions.emplace_back(std::string(k), std::string(v));
    }
  }
  return c;
}

std::string Candidate::to_string() const {
  std::string s = foundation + " " + std::to_string(component) + " " + transport + " " + std::to_string(priority) +
                  " " + address + " " + std::to_string(port) + " typ " + type;
  if (related_address) s += " raddr " + *related_address;
  if (related_port) s += " rport " + std::to_string(*related_port);
  if (tcp_type) s += " tcptype " + *tcp_type;
  for (const auto& [k, v] : extensions) s += " " + k + " " + v;
  return s;
}

Result<WebRtcDescription> from_sdp(const SessionDescription& s) {
  WebRtcDescription d;
  d.origin = s.origin;
  d.extmap_allow_mixed = s.has("extmap-allow-mixed");
  d.ice_lite = s.has("ice-lite");
  for (const auto& m : s.media) {
    MediaSection section;
    PARLEY_RETURN_IF_ERROR(read_section(s, m, section));
    if (d.find_mid(section.mid) != nullptr) return bad("mid " + section.mid + " used twice");
    d.media.push_back(std::move(section));
  }
  for (auto v : s.all("group")) {
    auto t = tokens(v);
    if (t.empty()) return bad("a=group is empty");
    if (t[0] != "BUNDLE") continue;
    std::vector<std::string> mids;
    for (std::size_t i = 1; i < t.size(); ++i) {
      if (d.find_mid(t[i]) == nullptr) return bad("BUNDLE names unknown mid " + std::string(t[i]));
      mids.emplace_back(t[i]);
    }
    d.bundle_groups.push_back(std::move(mids));
  }
  return d;
}

Result<WebRtcDescription> parse_webrtc(std::string_view text, const Limits& limits) {
  PARLEY_ASSIGN_OR_RETURN(SessionDescription s, parse(text, limits));
  return from_sdp(s);
}

SessionDescription to_sdp(const WebRtcDescription& d) {
  SessionDescription s;
  s.origin = d.origin;
  s.name = "-";
  s.timings.push_back(Timing{});
  if (d.ice_lite) s.add("ice-lite");
  for (const auto& g : d.bundle_groups) {
    std::string v = "BUNDLE";
    for (const auto& mid : g) v += " " + mid;
    s.add("group", v);
  }
  if (d.extmap_allow_mixed) s.add("extmap-allow-mixed");
  s.add("msid-semantic", " WMS");
  for (const auto& sec : d.media) {
    MediaDescription m;
    m.media = std::string(to_string(sec.kind));
    m.port = sec.port;
    m.proto = sec.proto;
    if (sec.kind == MediaKind::Application) {
      m.formats = sec.formats;
    } else {
      for (const auto& c : sec.codecs) {
        m.formats.push_back(std::to_string(c.payload_type));
        if (c.rtx_payload_type) m.formats.push_back(std::to_string(*c.rtx_payload_type));
      }
    }
    m.connections.push_back(Connection{});
    for (const auto& c : sec.candidates) m.add("candidate", c.to_string());
    if (sec.end_of_candidates) m.add("end-of-candidates");
    if (!sec.ice_ufrag.empty()) m.add("ice-ufrag", sec.ice_ufrag);
    if (!sec.ice_pwd.empty()) m.add("ice-pwd", sec.ice_pwd);
    if (!sec.ice_options.empty()) {
      std::string v;
      for (const auto& o : sec.ice_options) v += (v.empty() ? "" : " ") + o;
      m.add("ice-options", v);
    }
    if (sec.fingerprint) m.add("fingerprint", sec.fingerprint->algorithm + " " + sec.fingerprint->value);
    if (sec.setup) m.add("setup", std::string(to_string(*sec.setup)));
    m.add("mid", sec.mid);
    if (sec.bundle_only) m.add("bundle-only");
    for (const auto& e : sec.extensions) {
      std::string v = std::to_string(e.id);
      if (e.direction) v += "/" + std::string(to_string(*e.direction));
      v += " " + e.uri;
      if (!e.attributes.empty()) v += " " + e.attributes;
      m.add("extmap", v);
    }
    m.add(std::string(to_string(sec.direction)));
    for (const auto& ms : sec.msids) m.add("msid", ms.track.empty() ? ms.stream : ms.stream + " " + ms.track);
    if (sec.rtcp_mux) m.add("rtcp-mux");
    if (sec.rtcp_rsize) m.add("rtcp-rsize");
    for (const auto& c : sec.codecs) {
      std::string map = std::to_string(c.payload_type) + " " + c.name + "/" + std::to_string(c.clock_rate);
      if (c.channels > 1) map += "/" + std::to_string(c.channels);
      m.add("rtpmap", map);
      for (const auto& fb : c.feedback) m.add("rtcp-fb", std::to_string(c.payload_type) + " " + fb);
      if (!c.parameters.empty()) m.add("fmtp", std::to_string(c.payload_type) + " " + write_parameters(c.parameters));
      if (c.rtx_payload_type) {
        const std::string rtx = std::to_string(*c.rtx_payload_type);
        m.add("rtpmap", rtx + " rtx/" + std::to_string(c.clock_rate));
        Parameters p = {{"apt", std::to_string(c.payload_type)}};
        p.insert(p.end(), c.rtx_parameters.begin(), c.rtx_parameters.end());
        m.add("fmtp", rtx + " " + write_parameters(p));
      }
    }
    if (sec.sctp_port) m.add("sctp-port", std::to_string(*sec.sctp_port));
    if (sec.max_message_size) m.add("max-message-size", std::to_string(*sec.max_message_size));
    for (const auto& g : sec.ssrc_groups) {
      std::string v = g.semantics;
      for (auto ssrc : g.ssrcs) v += " " + std::to_string(ssrc);
      m.add("ssrc-group", v);
    }
    for (const auto& ss : sec.ssrcs) {
      if (!ss.cname.empty()) m.add("ssrc", std::to_string(ss.ssrc) + " cname:" + ss.cname);
      if (ss.msid) {
        const Msid& ms = *ss.msid;
        m.add("ssrc", std::to_string(ss.ssrc) + " msid:" + (ms.track.empty() ? ms.stream : ms.stream + " " + ms.track));
      }
    }
    s.media.push_back(std::move(m));
  }
  return s;
}

}  // namespace parley::rtc::sdp
