// An ICE-lite agent (RFC 8445 sections 2.5, 6.2, 7.3) for one WebRTC
// transport, with consent freshness (RFC 7675) on the receiving side. It
// owns no socket and reads no clock: STUN messages come in with the path
// they arrived on and the current time; responses and path changes go out
// through the Listener.
//
// A lite agent is always controlled, never sends checks, and only answers
// the peer's binding requests:
//   - a request must carry USERNAME "<local ufrag>:<remote ufrag>",
//     PRIORITY, MESSAGE-INTEGRITY made with the local password and
//     FINGERPRINT; otherwise it is answered with 400, 401, 420 or 487 (a
//     FINGERPRINT that fails means "not STUN": dropped) and changes nothing;
//   - a valid request makes its path valid (media from it may be
//     accepted) and answers with XOR-MAPPED-ADDRESS;
//   - USE-CANDIDATE nominates the path: it becomes the selected path, where
//     media is sent. Before any nomination the first valid path is used;
//   - a path on which no valid request arrived for consent_timeout (30 s)
//     is dropped; when the selected path goes, the next most recently
//     refreshed valid path is selected, or the agent is Disconnected.
//
// Threading: single-threaded (the transport's worker). The Listener must
// not destroy the IceServer from inside a callback.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/socket_address.hpp"
#include "rtc/stun/stun.hpp"

namespace parley::rtc::ice {

// Where a datagram came from: the remote address, whether it came over
// ICE-TCP (RFC 6544) and which local socket received it.
struct Path {
  SocketAddress remote;
  bool tcp = false;
  std::uint32_t local_socket = 0;
  friend bool operator==(const Path&, const Path&) = default;
};

// The part of a binding request's USERNAME before ':', i.e. the ufrag of the
// agent it is meant for: the key a media worker demultiplexes STUN by.
std::optional<std::string_view> recipient_ufrag(const stun::Message& request);

class IceServer {
 public:
  enum class State : std::uint8_t {
    New,           // no valid request yet
    Connected,     // a valid path, none nominated
    Completed,     // a nominated path
    Disconnected,  // every valid path lost consent
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // A STUN response to send on `path`.
    virtual void on_ice_send(std::span<const std::uint8_t> message, const Path& path) = 0;
    // The path media should now be sent on changed.
    virtual void on_ice_selected_path(const Path& path) = 0;
    virtual void on_ice_state(State state) = 0;
    // A path became valid / stopped being valid (consent expired or evicted):
    // a media worker binds and unbinds it in its Demuxer. Optional.
    virtual void on_ice_path_valid(const Path& path) {}
    virtual void on_ice_path_expired(const Path& path) {}
  };

  struct Options {
    std::int64_t consent_timeout_ms = 30000;  // RFC 7675 section 5.1
    std::size_t max_paths = 8;                // valid paths kept (oldest dropped beyond)
    std::string software;                     // SOFTWARE in responses when not empty
  };

  IceServer(Listener& listener, std::string local_ufrag, std::string local_pwd, Options options);
  IceServer(Listener& listener, std::string local_ufrag, std::string local_pwd);

  // The peer's ufrag from its SDP; when set, USERNAME's second half must
  // match it. Optional (a peer's ufrag may arrive after its first checks).
  void set_remote_ufrag(std::string ufrag) { remote_ufrag_ = std::move(ufrag); }
  // ICE restart: new local credentials; paths stay until they expire.
  void restart(std::string local_ufrag, std::string local_pwd);

  // A STUN message that arrived on `path` at `now_ms` (monotonic).
  void receive(const stun::Message& message, const Path& path, std::int64_t now_ms);
  // Expires paths whose consent ran out. Call at least every second or at
  // next_timeout_ms().
  void on_timer(std::int64_t now_ms);
  std::optional<std::int64_t> next_timeout_ms() const;

  State state() const { return state_; }
  const std::string& local_ufrag() const { return local_ufrag_; }
  const std::string& local_pwd() const { return local_pwd_; }
  // Whether media from `path` may be accepted (it passed a valid check and
  // its consent has not expired).
  bool is_valid(const Path& path) const;
  std::optional<Path> selected_path() const;

  // Counters for ops/ (requests answered, dropped, error responses sent).
  struct Counters {
    std::uint64_t requests_ok = 0;
    std::uint64_t errors_sent = 0;
    std::uint64_t dropped = 0;
    std::uint64_t paths_expired = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  struct ValidPath {
    Path path;
    std::int64_t last_consent_ms = 0;
    bool nominated = false;
  };

  void respond_error(const stun::Message& request, const Path& path, std::uint16_t code, std::string_view reason,
                     bool with_integrity, std::span<const std::uint16_t> unknown = {});
  void select(const Path& path);
  void set_state(State s);

  Listener& listener_;
  std::string local_ufrag_;
  std::string local_pwd_;
  std::string remote_ufrag_;
  Options options_;
  State state_ = State::New;
  std::vector<ValidPath> paths_;
  std::optional<Path> selected_;
  Counters counters_;
};

std::string_view to_string(IceServer::State s);

}  // namespace parley::rtc::ice
