// A media worker: one thread (an io/ event loop), one UDP port shared by
// every transport of its rooms, demultiplexed by rtc::ice::Demuxer, and one
// TCP port for ICE-TCP (RFC 6544 passive, RFC 4571 framing) for networks
// that block UDP: each TCP connection is a path of its own. All of a
// room's state lives on its worker, so the packet path takes no lock; other
// threads hand work over with post() (the mediasoup worker model).
//
// The worker owns its rooms and transports; a room creates and closes
// transports through it. A timer (tick_ms) drives ICE consent, DTLS
// retransmissions, RTCP reports and active-speaker detection.
//
// Threading: construct and open() on any thread before the loop runs;
// everything else on the worker's thread (use post()).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "base/clock.hpp"
#include "base/executor.hpp"
#include "base/random.hpp"
#include "base/status.hpp"
#include "io/tcp_listener.hpp"
#include "io/udp_socket.hpp"
#include "rtc/ice/tcp_framing.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/ice/demuxer.hpp"
#include "rtc/srtp/session.hpp"
#include "sfu/latency_histogram.hpp"
#include "sfu/room.hpp"
#include "sfu/webrtc_transport.hpp"

namespace boost::asio {
class io_context;
}

namespace parley::sfu {

class Worker final : WebRtcTransport::Sink {
 public:
  struct Options {
    std::string listen_ip = "127.0.0.1";
    std::uint16_t port = 0;     // 0: any free port
    std::string announced_ip;   // the candidate's address ("" = listen_ip)
    bool ice_tcp = true;        // also listen on TCP (the UDP port's number when free, else any)
    std::int64_t tcp_ice_timeout_ms = 10'000;  // a TCP connection without a valid ICE check by then is closed
    std::int64_t tick_ms = 20;
    Room::Options room;
  };

  struct Counters {
    std::uint64_t datagrams_in = 0;
    std::uint64_t datagrams_out = 0;
    std::uint64_t send_errors = 0;
    // From the Demuxer: dropped before reaching any transport.
    std::uint64_t unknown_kind = 0;
    std::uint64_t malformed_stun = 0;
    std::uint64_t unknown_ufrag = 0;
    std::uint64_t unknown_path = 0;
    // Summed over the worker's transports (closed ones included).
    std::uint64_t unverified_path = 0;
    std::uint64_t not_ready = 0;
    std::uint64_t srtp_errors = 0;
    std::uint64_t malformed = 0;
    // Summed over the worker's rooms (closed ones included).
    std::uint64_t forwarded = 0;
    std::uint64_t retransmitted = 0;
    std::uint64_t nack_misses = 0;
    std::uint64_t keyframe_requests = 0;
    std::uint64_t unknown_ssrc = 0;
    std::uint64_t malformed_rtcp = 0;
    // Gauges.
    std::uint64_t rooms = 0;
    std::uint64_t transports = 0;

    Counters& operator+=(const Counters& o);
  };

  Worker(std::uint32_t index, boost::asio::io_context& ctx, base::Executor& executor,
         std::shared_ptr<const rtc::dtls::Context> dtls_context, base::Clock& clock, base::Random& random,
         Options options);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Binds the UDP port. Before the loop runs (or on it).
  base::Status open();
  // Starts reading and the timer. On the worker's thread.
  void start();
  // Closes rooms, transports and the socket. On the worker's thread.
  void stop();

  // Runs fn on the worker's thread. Thread-safe.
  void post(std::function<void()> fn) { executor_.post(std::move(fn)); }
  std::uint32_t index() const { return index_; }
  std::uint16_t port() const { return socket_ ? socket_->local_port() : 0; }
  std::uint16_t tcp_port() const { return tcp_ ? tcp_->local_port() : 0; }

  // Rooms (nullptr / Conflict when absent / present).
  base::Result<Room*> create_room(const std::string& id, Room::Listener* listener);
  Room* room(const std::string& id);
  void close_room(const std::string& id);
  std::size_t room_count() const { return rooms_.size(); }

  // Used by rooms.
  WebRtcTransport& create_transport();
  void close_transport(TransportId id);
  WebRtcTransport* transport(TransportId id);
  LocalTransportParams local_params(const WebRtcTransport& t) const;
  // Scratch space for one outgoing packet plus the SRTP trailer.
  std::span<std::uint8_t> scratch() { return scratch_; }
  std::span<std::uint8_t> scratch2() { return scratch2_; }
  base::Clock& clock() { return clock_; }
  std::uint32_t random_u32();

  Counters counters() const;
  // Packet read -> each forwarded copy sent, since start (for benchmarks).
  const LatencyHistogram& forward_latency() const { return forward_latency_; }
  // Called by rooms after each forwarded copy went to the kernel.
  void note_forwarded() { forward_latency_.record_ns(monotonic_ns() - received_ns_); }
  static std::int64_t monotonic_ns();
  std::size_t transport_count() const { return transports_.size(); }

  // One datagram as the socket delivers it (public for the benchmark and
  // tests that feed a worker without a socket).
  void on_datagram(std::span<std::uint8_t> datagram, const rtc::ice::Path& from, std::int64_t now_ms);

 private:
  // WebRtcTransport::Sink
  void send(std::span<const std::uint8_t> datagram, const rtc::ice::Path& to) override;
  void path_valid(TransportId id, const rtc::ice::Path& path) override;
  void path_expired(TransportId id, const rtc::ice::Path& path) override;

  void start_tcp();
  void close_stale_tcp(std::int64_t now_ms);
  void schedule_tick();
  void tick();
  void fold_counters(const WebRtcTransport& t);
  void fold_counters(const Room& r);
  std::string random_ice_string(std::size_t n);

  std::uint32_t index_;
  boost::asio::io_context& ctx_;
  base::Executor& executor_;
  std::shared_ptr<const rtc::dtls::Context> dtls_context_;
  base::Clock& clock_;
  base::Random& random_;
  Options options_;
  std::unique_ptr<io::UdpSocket> socket_;
  // ICE-TCP: the listener and its connections (a path's local_socket is the connection id).
  struct TcpPeer {
    rtc::SocketAddress remote;
    rtc::ice::TcpFramer framer;
    std::int64_t opened_ms = 0;
    bool valid = false;  // ICE validated its path at least once
  };
  std::unique_ptr<io::TcpListener> tcp_;
  std::unordered_map<io::TcpListener::ConnectionId, TcpPeer> tcp_peers_;
  std::array<std::uint8_t, 65536> tcp_frame_{};  // one framed message, unprotected in place
  std::vector<std::uint8_t> tcp_send_;           // one outgoing framed message
  std::uint64_t tcp_send_errors_ = 0;
  std::int64_t received_ns_ = 0;  // when the datagram being handled was read
  LatencyHistogram forward_latency_;
  rtc::ice::Demuxer demuxer_;
  std::unordered_map<TransportId, std::unique_ptr<WebRtcTransport>> transports_;
  std::map<std::string, std::unique_ptr<Room>> rooms_;
  TransportId next_transport_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(false);
  Counters closed_;  // counters of transports already closed
  std::array<std::uint8_t, 1600 + rtc::srtp::kMaxTrailer> scratch_{};
  std::array<std::uint8_t, 1600 + rtc::srtp::kMaxTrailer> scratch2_{};
};

// rtc::SocketAddress <-> io::UdpAddress (same bytes).
rtc::SocketAddress to_socket_address(const io::UdpAddress& a);
io::UdpAddress to_udp_address(const rtc::SocketAddress& a);

}  // namespace parley::sfu
