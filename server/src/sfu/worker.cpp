#include "sfu/worker.hpp"

#include <time.h>

#include <cstring>

namespace parley::sfu {

namespace ice = rtc::ice;

rtc::SocketAddress to_socket_address(const io::UdpAddress& a) {
  rtc::SocketAddress s;
  s.family = a.v6 ? rtc::SocketAddress::Family::V6 : rtc::SocketAddress::Family::V4;
  s.ip = a.ip;
  s.port = a.port;
  return s;
}

io::UdpAddress to_udp_address(const rtc::SocketAddress& s) {
  io::UdpAddress a;
  a.v6 = s.family == rtc::SocketAddress::Family::V6;
  a.ip = s.ip;
  a.port = s.port;
  return a;
}

Worker::Worker(std::uint32_t index, boost::asio::io_context& ctx, base::Executor& executor,
               std::shared_ptr<const rtc::dtls::Context> dtls_context, base::Clock& clock, base::Random& random,
               Options options)
    : index_(index),
      ctx_(ctx),
      executor_(executor),
      dtls_context_(std::move(dtls_context)),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

Worker::~Worker() {
  *alive_ = false;
  rooms_.clear();
  transports_.clear();
  if (socket_) socket_->close();
}

base::Status Worker::open() {
  auto s = io::UdpSocket::open(ctx_, options_.listen_ip, options_.port);
  if (!s.ok()) return s.status();
  socket_ = std::move(*s);
  if (options_.ice_tcp) {
    // The UDP port's number on TCP when free (one number to open in a firewall), else any.
    auto t = io::TcpListener::open(ctx_, options_.listen_ip, socket_->local_port());
    if (!t.ok()) t = io::TcpListener::open(ctx_, options_.listen_ip, 0);
    if (!t.ok()) return t.status();
    tcp_ = std::move(*t);
  }
  return base::Status::ok();
}

void Worker::start() {
  if (!socket_) return;
  *alive_ = true;
  socket_->start([this](std::span<std::uint8_t> d, const io::UdpAddress& from) {
    received_ns_ = monotonic_ns();
    on_datagram(d, ice::Path{to_socket_address(from), false, index_}, clock_.steady_ms());
  });
  start_tcp();
  schedule_tick();
}

std::int64_t Worker::monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void Worker::start_tcp() {
  if (!tcp_) return;
  io::TcpListener::Handlers h;
  h.opened = [this](io::TcpListener::ConnectionId id, const io::UdpAddress& remote) {
    TcpPeer& peer = tcp_peers_[id];
    peer.remote = to_socket_address(remote);
    peer.opened_ms = clock_.steady_ms();
  };
  h.data = [this](io::TcpListener::ConnectionId id, std::span<const std::uint8_t> bytes) {
    auto it = tcp_peers_.find(id);
    if (it == tcp_peers_.end()) return;
    const ice::Path path{it->second.remote, true, id};
    it->second.framer.feed(bytes, [&](std::span<const std::uint8_t> frame) {
      // One message, copied so that SRTP can unprotect it in place.
      std::memcpy(tcp_frame_.data(), frame.data(), frame.size());
      received_ns_ = monotonic_ns();
      on_datagram(std::span<std::uint8_t>(tcp_frame_.data(), frame.size()), path, clock_.steady_ms());
    });
  };
  h.closed = [this](io::TcpListener::ConnectionId id) {
    auto it = tcp_peers_.find(id);
    if (it == tcp_peers_.end()) return;
    demuxer_.unbind(ice::Path{it->second.remote, true, id});
    tcp_peers_.erase(it);
  };
  tcp_->start(std::move(h));
}

// Connections that never completed ICE (scans, stray clients) do not stay.
void Worker::close_stale_tcp(std::int64_t now_ms) {
  for (auto it = tcp_peers_.begin(); it != tcp_peers_.end();) {
    if (!it->second.valid && now_ms - it->second.opened_ms >= options_.tcp_ice_timeout_ms) {
      const auto id = it->first;
      it = tcp_peers_.erase(it);
      tcp_->close_connection(id);  // its `closed` finds nothing left to do
    } else {
      ++it;
    }
  }
}

void Worker::path_valid(TransportId id, const rtc::ice::Path& path) {
  demuxer_.bind(path, id);
  if (path.tcp) {
    if (auto it = tcp_peers_.find(path.local_socket); it != tcp_peers_.end()) it->second.valid = true;
  }
}

void Worker::path_expired(TransportId id, const rtc::ice::Path& path) {
  demuxer_.unbind(path);
  // Consent lost on a TCP path: the connection has no other use.
  if (path.tcp && tcp_) {
    tcp_peers_.erase(path.local_socket);
    tcp_->close_connection(path.local_socket);
  }
}

void Worker::stop() {
  *alive_ = false;
  for (auto& [id, r] : rooms_) fold_counters(*r);
  rooms_.clear();
  for (auto& [id, t] : transports_) fold_counters(*t);
  transports_.clear();
  if (socket_) socket_->close();
  if (tcp_) tcp_->close();
  tcp_peers_.clear();
}

void Worker::schedule_tick() {
  executor_.post_after(options_.tick_ms, [this, alive = alive_] {
    if (!*alive) return;
    tick();
    schedule_tick();
  });
}

void Worker::tick() {
  const std::int64_t now = clock_.steady_ms();
  for (auto& [id, t] : transports_) t->on_timer(now);
  for (auto& [id, r] : rooms_) r->on_tick(now);
  if (tcp_) close_stale_tcp(now);
}

void Worker::on_datagram(std::span<std::uint8_t> d, const ice::Path& from, std::int64_t now_ms) {
  auto routed = demuxer_.route(d, from);
  if (!routed) return;  // counted by the Demuxer
  auto it = transports_.find(routed->transport);
  if (it == transports_.end()) return;
  WebRtcTransport& t = *it->second;
  switch (routed->kind) {
    case rtc::PacketKind::Stun:
      t.receive_stun(*routed->stun, from, now_ms);
      break;
    case rtc::PacketKind::Dtls:
      t.receive_dtls(d, from);
      break;
    case rtc::PacketKind::Rtp:
      t.receive_rtp(d, from, now_ms);
      break;
    case rtc::PacketKind::Rtcp:
      t.receive_rtcp(d, from, now_ms);
      break;
    case rtc::PacketKind::Unknown:
      break;
  }
}

void Worker::send(std::span<const std::uint8_t> datagram, const ice::Path& to) {
  if (to.tcp) {
    // RFC 4571: a 2-byte length, then the message.
    if (!tcp_ || datagram.size() > 0xffff) return;
    tcp_send_.resize(2 + datagram.size());
    tcp_send_[0] = static_cast<std::uint8_t>(datagram.size() >> 8);
    tcp_send_[1] = static_cast<std::uint8_t>(datagram.size());
    std::memcpy(tcp_send_.data() + 2, datagram.data(), datagram.size());
    if (!tcp_->send(to.local_socket, tcp_send_)) ++tcp_send_errors_;
    return;
  }
  if (socket_) socket_->send_to(datagram, to_udp_address(to.remote));
}

base::Result<Room*> Worker::create_room(const std::string& id, Room::Listener* listener) {
  if (rooms_.contains(id)) return base::Status::conflict("sfu: room exists");
  auto room = std::make_unique<Room>(id, *this, listener, options_.room);
  Room* r = room.get();
  rooms_.emplace(id, std::move(room));
  return r;
}

Room* Worker::room(const std::string& id) {
  auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : it->second.get();
}

void Worker::close_room(const std::string& id) {
  auto it = rooms_.find(id);
  if (it == rooms_.end()) return;
  fold_counters(*it->second);
  rooms_.erase(it);
}

std::uint32_t Worker::random_u32() { return static_cast<std::uint32_t>(random_.next_u64()); }

std::string Worker::random_ice_string(std::size_t n) {
  // ice-char (RFC 8839 section 5.4): ALPHA / DIGIT / "+" / "/".
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s(n, 'a');
  std::vector<std::uint8_t> bytes(n);
  random_.fill(bytes);
  for (std::size_t i = 0; i < n; ++i) s[i] = kChars[bytes[i] % 64];
  return s;
}

WebRtcTransport& Worker::create_transport() {
  const TransportId id = next_transport_++;
  std::string ufrag;
  do {
    ufrag = random_ice_string(8);
  } while (!demuxer_.add_ufrag(ufrag, id));
  Sink& sink = *this;
  auto t = std::make_unique<WebRtcTransport>(id, sink, dtls_context_, ufrag, random_ice_string(24));
  WebRtcTransport& ref = *t;
  transports_.emplace(id, std::move(t));
  return ref;
}

void Worker::close_transport(TransportId id) {
  auto it = transports_.find(id);
  if (it == transports_.end()) return;
  fold_counters(*it->second);
  demuxer_.remove_transport(id);
  transports_.erase(it);
}

WebRtcTransport* Worker::transport(TransportId id) {
  auto it = transports_.find(id);
  return it == transports_.end() ? nullptr : it->second.get();
}

LocalTransportParams Worker::local_params(const WebRtcTransport& t) const {
  LocalTransportParams p;
  p.ice_ufrag = t.ice_ufrag();
  p.ice_pwd = t.ice_pwd();
  p.fingerprint = t.fingerprint();
  const std::string& ip = options_.announced_ip.empty() ? options_.listen_ip : options_.announced_ip;
  p.candidates.push_back(IceCandidate{ip, port(), "udp"});
  if (tcp_) p.candidates.push_back(IceCandidate{ip, tcp_port(), "tcp"});
  return p;
}

void Worker::fold_counters(const WebRtcTransport& t) {
  const auto& c = t.counters();
  closed_.unverified_path += c.unverified_path;
  closed_.not_ready += c.not_ready;
  closed_.srtp_errors += c.srtp_errors;
  closed_.malformed += c.malformed;
}

void Worker::fold_counters(const Room& r) {
  const auto& rc = r.counters();
  closed_.forwarded += rc.forwarded;
  closed_.retransmitted += rc.retransmitted;
  closed_.nack_misses += rc.nack_misses;
  closed_.keyframe_requests += rc.keyframe_requests;
  closed_.unknown_ssrc += rc.unknown_ssrc;
  closed_.malformed_rtcp += rc.malformed_rtcp;
}

Worker::Counters& Worker::Counters::operator+=(const Counters& o) {
  datagrams_in += o.datagrams_in;
  datagrams_out += o.datagrams_out;
  send_errors += o.send_errors;
  unknown_kind += o.unknown_kind;
  malformed_stun += o.malformed_stun;
  unknown_ufrag += o.unknown_ufrag;
  unknown_path += o.unknown_path;
  unverified_path += o.unverified_path;
  not_ready += o.not_ready;
  srtp_errors += o.srtp_errors;
  malformed += o.malformed;
  forwarded += o.forwarded;
  retransmitted += o.retransmitted;
  nack_misses += o.nack_misses;
  keyframe_requests += o.keyframe_requests;
  unknown_ssrc += o.unknown_ssrc;
  malformed_rtcp += o.malformed_rtcp;
  rooms += o.rooms;
  transports += o.transports;
  return *this;
}

Worker::Counters Worker::counters() const {
  Counters c = closed_;
  for (const auto& [id, r] : rooms_) {
    const auto& rc = r->counters();
    c.forwarded += rc.forwarded;
    c.retransmitted += rc.retransmitted;
    c.nack_misses += rc.nack_misses;
    c.keyframe_requests += rc.keyframe_requests;
    c.unknown_ssrc += rc.unknown_ssrc;
    c.malformed_rtcp += rc.malformed_rtcp;
  }
  c.rooms = rooms_.size();
  c.transports = transports_.size();
  for (const auto& [id, t] : transports_) {
    const auto& tc = t->counters();
    c.unverified_path += tc.unverified_path;
    c.not_ready += tc.not_ready;
    c.srtp_errors += tc.srtp_errors;
    c.malformed += tc.malformed;
  }
  const auto& d = demuxer_.counters();
  c.unknown_kind = d.unknown_kind;
  c.malformed_stun = d.malformed_stun;
  c.unknown_ufrag = d.unknown_ufrag;
  c.unknown_path = d.unknown_path;
  if (socket_) {
    c.datagrams_in = socket_->counters().received;
    c.datagrams_out = socket_->counters().sent;
    c.send_errors = socket_->counters().send_errors + tcp_send_errors_;
  }
  return c;
}

}  // namespace parley::sfu
