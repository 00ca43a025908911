#include "rtc/sdp/sdp.hpp"

#include <charconv>

namespace parley::rtc::sdp {

namespace {

using base::Result;
using base::Status;

Status bad(std::size_t line, std::string m) {
  return Status::bad_request("sdp: line " + std::to_string(line) + ": " + std::move(m));
}

// Splits on single spaces; empty tokens (double spaces) are an error.
bool split(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t pos = 0;
  while (true) {
    const std::size_t sp = s.find(' ', pos);
    const std::string_view tok = s.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
    if (tok.empty()) return false;
    out.push_back(tok);
    if (sp == std::string_view::npos) return true;
    pos = sp + 1;
  }
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::uint16_t> to_u16(std::string_view s) {
  if (!is_digits(s) || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  if (v > 0xFFFF) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

// Visible ASCII other than ':' (RFC 8866 att-field is a token).
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == ':') return false;
  }
  return true;
}

// Session-level order (section 9): v o s i u e p c b (t r)+ z k a, then m.
int session_rank(char type) {
  switch (type) {
    case 'v': return 0;
    case 'o': return 1;
    case 's': return 2;
    case 'i': return 3;
    case 'u': return 4;
    case 'e': return 5;
    case 'p': return 6;
    case 'c': return 7;
    case 'b': return 8;
    case 't':
    case 'r': return 9;
    case 'z': return 10;
    case 'k': return 11;
    case 'a': return 12;
    case 'm': return 13;
    default: return -1;
  }
}

int media_rank(char type) {
  switch (type) {
    case 'i': return 1;
    case 'c': return 2;
    case 'b': return 3;
    case 'k': return 4;
    case 'a': return 5;
    case 'm': return 6;
    default: return -1;
  }
}

Status parse_connection(std::size_t n, std::string_view v, std::vector<std::string_view>& tok, Connection& c) {
  if (!split(v, tok) || tok.size() != 3) return bad(n, "c= needs <nettype> <addrtype> <address>");
  c.network_type = tok[0];
  c.address_type = tok[1];
  c.address = tok[2];
  return Status::ok();
}

Status parse_attribute(std::size_t n, std::string_view v, AttributeList& list) {
  const std::size_t colon = v.find(':');
  const std::string_view name = v.substr(0, colon);
  if (!is_token(name)) return bad(n, "bad attribute name");
  if (colon == std::string_view::npos) {
    list.add(std::string(name));
  } else {
    list.add(std::string(name), std::string(v.substr(colon + 1)));
  }
  return Status::ok();
}

void write_line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void write_attributes(std::string& out, const AttributeList& list) {
  for (const auto& a : list.attributes) {
    out += "a=";
    out += a.name;
    if (a.value) {
      out += ':';
      out += *a.value;
    }
    out += "\r\n";
  }
}

std::string connection_text(const Connection& c) {
  return c.network_type + " " + c.address_type + " " + c.address;
}

}  // namespace

bool AttributeList::has(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return true;
  }
  return false;
}

std::optional<std::string_view> AttributeList::first(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return a.value ? std::string_view(*a.value) : std::string_view();
  }
  return std::nullopt;
}

std::vector<std::string_view> AttributeList::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& a : attributes) {
    if (a.name == name) out.push_back(a.value ? std::string_view(*a.value) : std::string_view());
  }
  return out;
}

Result<SessionDescription> parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_size) return Status::bad_request("sdp: larger than the size limit");
  SessionDescription s;
  std::vector<std::string_view> tok;
  int rank = -1;          // last session-level rank seen
  int mrank = 0;          // last media-level rank in the current m= section
  bool seen_once[26] = {};
  std::size_t n = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++n;
    if (n > limits.max_lines) return bad(n, "too many lines");
    if (line.empty()) continue;
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') return bad(n, "not <type>=<value>");
    for (char c : line) {
      if (c == '\0' || c == '\r') return bad(n, "NUL or CR inside a line");
    }
    const char type = line[0];
    const std::string_view v = line.substr(2);

    if (!s.media.empty() && type != 'm') {
      // Inside a media description.
      const int r = media_rank(type);
      if (r < 0) return bad(n, std::string("'") + type + "=' not allowed in a media description");
      if (r < mrank || ((type == 'i' || type == 'k') && r == mrank)) return bad(n, "media-level line out of order");
      mrank = r;
      MediaDescription& m = s.media.back();
      switch (type) {
        case 'i': m.title = std::string(v); break;
        case 'c': {
          Connection c;
          PARLEY_RETURN_IF_ERROR(parse_connection(n, v, tok, c));
          m.connections.push_back(std::move(c));
          break;
        }
        case 'b':
          if (v.find(':') == std::string_view::npos) return bad(n, "b= needs <bwtype>:<bandwidth>");
          m.bandwidths.emplace_back(v);
          break;
        case 'k': m.key = std::string(v); break;
        case 'a': PARLEY_RETURN_IF_ERROR(parse_attribute(n, v, m)); break;
        default: break;
      }
      continue;
    }

    const int r = session_rank(type);
    if (r < 0) return bad(n, std::string("unknown line type '") + type + "'");
    if (n > 1 && rank < 0) return bad(n, "must start with v=");
    if (rank < 0 && type != 'v') return bad(n, "must start with v=");
    if (r < rank) return bad(n, "session-level line out of order");
    const bool once = type == 'v' || type == 'o' || type == 's' || type == 'i' || type == 'u' || type == 'c' ||
                      type == 'z' || type == 'k';
    if (once && seen_once[type - 'a']) return bad(n, std::string("repeated '") + type + "=' line");
    seen_once[type - 'a'] = true;
    if (r > 2 && (!seen_once['o' - 'a'] || !seen_once['s' - 'a'])) return bad(n, "o= and s= must follow v=");
    if (type == 'r' && s.timings.empty()) return bad(n, "r= without t=");
    rank = r;
    switch (type) {
      case 'v':
        if (v != "0") return bad(n, "version is not 0");
        s.version = 0;
        break;
      case 'o':
        if (!split(v, tok) || tok.size() != 6) return bad(n, "o= needs six fields");
        s.origin = Origin{std::string(tok[0]), std::string(tok[1]), std::string(tok[2]),
                          std::string(tok[3]), std::string(tok[4]), std::string(tok[5])};
        break;
      case 's': s.name = std::string(v); break;
      case 'i': s.info = std::string(v); break;
      case 'u': s.uri = std::string(v); break;
      case 'e': s.emails.emplace_back(v); break;
      case 'p': s.phones.emplace_back(v); break;
      case 'c': {
        Connection c;
        PARLEY_RETURN_IF_ERROR(parse_connection(n, v, tok, c));
        s.connection = std::move(c);
        break;
      }
      case 'b':
        if (v.find(':') == std::string_view::npos) return bad(n, "b= needs <bwtype>:<bandwidth>");
        s.bandwidths.emplace_back(v);
        break;
      case 't':
        if (!split(v, tok) || tok.size() != 2 || !is_digits(tok[0]) || !is_digits(tok[1]))
          return bad(n, "t= needs <start> <stop>");
        s.timings.push_back(Timing{std::string(v), {}});
        break;
      case 'r': s.timings.back().repeats.emplace_back(v); break;
      case 'z': s.zone = std::string(v); break;
      case 'k': s.key = std::string(v); break;
      case 'a': PARLEY_RETURN_IF_ERROR(parse_attribute(n, v, s)); break;
      default: break;
    }
    if (type != 'm') continue;
    // m=<media> <port>[/<number of ports>] <proto> <fmt> ...
    if (s.timings.empty()) return bad(n, "m= before any t=");
    if (s.media.size() == limits.max_media) return bad(n, "too many media descriptions");
    if (!split(v, tok) || tok.size() < 4) return bad(n, "m= needs <media> <port> <proto> <fmt>...");
    MediaDescription m;
    m.media = tok[0];
    const std::size_t slash = tok[1].find('/');
    auto port = to_u16(tok[1].substr(0, slash));
    if (!port) return bad(n, "bad port");
    m.port = *port;
    if (slash != std::string_view::npos) {
      auto count = to_u16(tok[1].substr(slash + 1));
      if (!count) return bad(n, "bad number of ports");
      m.port_count = *count;
    }
    m.proto = tok[2];
    for (std::size_t i = 3; i < tok.size(); ++i) m.formats.emplace_back(tok[i]);
    s.media.push_back(std::move(m));
    mrank = 0;
  }
  if (!seen_once['v' - 'a'] || !seen_once['o' - 'a'] || !seen_once['s' - 'a']) {
    return Status::bad_request("sdp: v=, o= and s= are required");
  }
  if (s.timings.empty()) return Status::bad_request("sdp: at least one t= is required");
  return s;
}

std::string serialize(const SessionDescription& s) {
  std::string out;
  out.reserve(2048);
  write_line(out, 'v', std::to_string(s.version));
  const Origin& o = s.origin;
  write_line(out, 'o',
             o.username + " " + o.session_id + " " + o.session_version + " " + o.network_type + " " +
                 o.address_type + " " + o.address);
  write_line(out, 's', s.name);
  if (s.info) write_line(out, 'i', *s.info);
  if (s.uri) write_line(out, 'u', *s.uri);
  for (const auto& e : s.emails) write_line(out, 'e', e);
  for (const auto& p : s.phones) write_line(out, 'p', p);
  if (s.connection) write_line(out, 'c', connection_text(*s.connection));
  for (const auto& b : s.bandwidths) write_line(out, 'b', b);
  for (const auto& t : s.timings) {
    write_line(out, 't', t.value);
    for (const auto& r : t.repeats) write_line(out, 'r', r);
  }
  if (s.zone) write_line(out, 'z', *s.zone);
  if (s.key) write_line(out, 'k', *s.key);
  write_attributes(out, s);
  for (const auto& m : s.media) {
    std::string line = m.media + " " + std::to_string(m.port);
    if (m.port_count) line += "/" + std::to_string(*m.port_count);
    line += " " + m.proto;
    for (const auto& f : m.formats) line += " " + f;
    write_line(out, 'm', line);
    if (m.title) write_line(out, 'i', *m.title);
    for (const auto& c : m.connections) write_line(out, 'c', connection_text(c));
    for (const auto& b : m.bandwidths) write_line(out, 'b', b);
    if (m.key) write_line(out, 'k', *m.key);
    write_attributes(out, m);
  }
  return out;
}

}  // namespace parley::rtc::sdp
