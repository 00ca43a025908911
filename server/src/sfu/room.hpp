// A room of one media worker: participants, their producers (streams they
// publish) and consumers (each producer's copy towards every other
// participant). The forwarding path:
//
//   publish transport -> Producer (stats, retransmission cache, audio level)
//       -> Consumer per subscriber (pause check; SSRC, sequence number and
//          timestamp rewritten on a copy) -> subscribe transport
//   subscribe transport RTCP: NACK -> Consumer resends from the producer's
//       cache as RTX; PLI/FIR -> Producer asks the publisher (throttled)
//   every report interval: RR per producer to its publisher, SR per consumer
//       to its subscriber; every speaker interval: active-speaker decision
//
// Each participant has two transports (DESIGN.md): one to publish (the
// client offers), one to subscribe (the server offers, and offers again when
// others join, leave, publish or stop: Listener::on_renegotiate).
//
// Threading: everything runs on the worker's thread, Listener callbacks
// included; the signalling layer hops threads itself (Worker::post).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.hpp"
#include "rtc/rtcp/rtcp.hpp"
#include "rtc/rtp/packet.hpp"
#include "sfu/retransmission_cache.hpp"
#include "sfu/webrtc_transport.hpp"

namespace parley::sfu {

class Worker;
class Room;
struct Participant;
class Consumer;

using ProducerId = std::uint32_t;
enum class MediaKind : std::uint8_t { Audio, Video };

// One published stream, as the publisher's SDP describes it.
struct ProducerParams {
  MediaKind kind = MediaKind::Audio;
  std::string mid;              // the publisher's m= section
  std::uint32_t ssrc = 0;
  std::uint32_t rtx_ssrc = 0;   // 0: no RTX from the publisher
  std::uint8_t payload_type = 0;
  std::uint8_t rtx_payload_type = 0;  // 0: no RTX negotiated
  std::uint32_t clock_rate = 48000;
  std::uint8_t audio_level_id = 0;    // RFC 6464 extension id, 0 if not negotiated
  std::uint8_t abs_send_time_id = 0;  // abs-send-time extension id, 0 if not negotiated
};

// Header extension ids the SFU uses towards every subscriber, whatever each
// publisher negotiated (publishers differ, and one BUNDLE transport needs
// one meaning per id, RFC 8843 section 9.2). Forwarded packets have their
// element ids rewritten in place: these two kept, every other element
// renamed to an id no subscriber negotiated, so receivers skip it.
inline constexpr std::uint8_t kSubscriberAudioLevelId = 1;
inline constexpr std::uint8_t kSubscriberAbsSendTimeId = 2;
inline constexpr std::uint8_t kSubscriberUnusedOneByteId = 14;
inline constexpr std::uint8_t kSubscriberUnusedTwoByteId = 255;

// What a subscriber's SDP must carry for one consumer (the server's offer).
// Header extensions use the kSubscriber*Id ids.
struct ConsumerInfo {
  ProducerId producer = 0;
  std::string publisher;
  MediaKind kind = MediaKind::Audio;
  std::uint32_t ssrc = 0;
  std::uint32_t rtx_ssrc = 0;
  std::uint8_t payload_type = 0;
  std::uint8_t rtx_payload_type = 0;
  std::uint32_t clock_rate = 48000;
  bool paused = false;
};

struct JoinResult {
  TransportId publish = 0;
  TransportId subscribe = 0;
  LocalTransportParams publish_params;
  LocalTransportParams subscribe_params;
};

// RFC 3550 appendix A.3 / A.8 receive statistics of one producer.
struct ReceiveStats {
  bool started = false;
  std::uint16_t max_seq = 0;
  std::uint32_t cycles = 0;  // wraps << 16
  std::uint32_t base_seq = 0;
  std::uint64_t received = 0;
  std::uint64_t bytes = 0;
  std::uint64_t expected_prior = 0;
  std::uint64_t received_prior = 0;
  double jitter = 0;  // in timestamp units
  std::int64_t last_transit = 0;
  bool have_transit = false;
  std::uint32_t last_sr = 0;       // middle 32 bits of the last SR's NTP time
  std::int64_t last_sr_ms = -1;    // when it arrived

  void update(std::uint16_t seq, std::uint32_t ts, std::size_t size, std::int64_t now_ms, std::uint32_t clock_rate);
  std::uint32_t extended_max() const { return cycles + max_seq; }
  std::uint64_t expected() const { return static_cast<std::uint64_t>(extended_max()) - base_seq + 1; }
  // The report block (advances the "prior" counters for fraction lost).
  rtc::rtcp::ReportBlock report(std::uint32_t ssrc, std::int64_t now_ms);
};

class Producer {
 public:
  Producer(ProducerId id, Participant& owner, ProducerParams params);

  ProducerId id() const { return id_; }
  Participant& owner() const { return owner_; }
  const ProducerParams& params() const { return params_; }
  bool paused() const { return paused_; }
  const ReceiveStats& stats() const { return stats_; }

  struct Counters {
    std::uint64_t keyframe_requests = 0;   // PLIs sent to the publisher
    std::uint64_t keyframe_throttled = 0;  // requests swallowed by the throttle
    std::uint64_t rtx_received = 0;        // publisher's own retransmissions unwrapped
  };
  const Counters& counters() const { return counters_; }

 private:
  friend class Room;
  friend class Consumer;
  ProducerId id_;
  Participant& owner_;
  ProducerParams params_;
  bool paused_ = false;
  ReceiveStats stats_;
  RetransmissionCache cache_;
  std::vector<Consumer*> consumers_;
  std::array<std::uint8_t, 256> extension_ids_{};  // publisher id -> subscriber id
  std::int64_t last_keyframe_request_ms_ = -1'000'000;
  // Active speaker: RFC 6464 levels (0 loud .. 127 silent) this interval.
  std::uint64_t level_sum_ = 0;
  std::uint32_t level_count_ = 0;
  Counters counters_;
};

class Consumer {
 public:
  Consumer(Producer& producer, Participant& subscriber, std::uint32_t ssrc, std::uint32_t rtx_ssrc,
           std::uint16_t first_seq, std::uint32_t ts_base);

  Producer& producer() const { return producer_; }
  Participant& subscriber() const { return subscriber_; }
  std::uint32_t ssrc() const { return ssrc_; }
  std::uint32_t rtx_ssrc() const { return rtx_ssrc_; }
  bool paused() const { return paused_; }
  ConsumerInfo info() const;

  struct Counters {
    std::uint64_t packets = 0;        // forwarded
    std::uint64_t octets = 0;         // payload octets forwarded (for SR)
    std::uint64_t dropped_paused = 0; // not forwarded because paused
    std::uint64_t nacked = 0;         // sequence numbers NACKed by the subscriber
    std::uint64_t retransmitted = 0;  // answered (as RTX when negotiated)
    std::uint64_t nack_misses = 0;    // not in the cache (too old or never seen)
    std::uint64_t keyframe_requests = 0;  // PLI/FIR from the subscriber
    std::uint8_t last_fraction_lost = 0;  // from the subscriber's RR
  };
  const Counters& counters() const { return counters_; }

  // The consumer's sequence number for the producer's `seq` (current mapping).
  std::uint16_t map_sequence(std::uint16_t seq) const { return static_cast<std::uint16_t>(seq + seq_offset_); }

 private:
  friend class Room;
  Producer& producer_;
  Participant& subscriber_;
  std::uint32_t ssrc_;
  std::uint32_t rtx_ssrc_;
  bool paused_ = false;
  bool synced_ = false;          // the sequence mapping is set (reset on resume)
  std::uint16_t next_seq_;       // the sequence number after the last one sent
  std::uint16_t seq_offset_ = 0; // out = in + offset
  std::uint32_t ts_offset_ = 0;
  bool ts_set_ = false;
  std::uint32_t ts_base_;
  std::uint16_t rtx_seq_ = 0;
  std::uint32_t last_ts_ = 0;       // last forwarded (rewritten) timestamp
  std::int64_t last_sent_ms_ = -1;  // and when
  Counters counters_;
};

struct Participant {
  std::string id;
  WebRtcTransport* publish = nullptr;
  WebRtcTransport* subscribe = nullptr;
  std::uint32_t rtcp_ssrc = 0;  // sender SSRC of our RR and feedback
  std::vector<ProducerId> producers;
  std::unordered_map<std::uint32_t, Producer*> by_ssrc;        // media and RTX SSRCs published
  std::map<ProducerId, std::unique_ptr<Consumer>> consumers;   // what it receives, by producer
  std::unordered_map<std::uint32_t, Consumer*> consumer_by_ssrc;  // media and RTX SSRCs sent
};

class Room final : WebRtcTransport::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // The participant's consumers changed: the server must offer its
    // subscribe transport again (Room::consumers() says what to offer).
    virtual void on_renegotiate(const std::string& participant) {}
    // The loudest participant changed ("" when nobody speaks any more).
    virtual void on_active_speaker(const std::string& participant) {}
    // A transport of the participant failed (DTLS failure, ICE consent lost).
    virtual void on_transport_failed(const std::string& participant) {}
  };

  struct Options {
    std::int64_t keyframe_throttle_ms = 500;  // at most one PLI per producer per interval
    std::int64_t report_interval_ms = 1000;   // RTCP SR/RR
    std::int64_t speaker_interval_ms = 300;   // active-speaker decision
    std::uint8_t speaking_level = 60;         // average RFC 6464 level at or under which someone speaks
    std::size_t max_participants = 50;
    // Loss simulation for tests: every Nth forwarded media packet is not
    // sent, as if the network lost it after the SFU (0: off). Never set in
    // production.
    std::uint32_t test_drop_one_in = 0;
  };

  Room(std::string id, Worker& worker, Listener* listener, Options options);
  ~Room() override;
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  const std::string& id() const { return id_; }

  // Creates the participant's two transports (LimitExceeded when full,
  // Conflict when already in).
  base::Result<JoinResult> join(const std::string& participant);
  // Closes its transports, producers and consumers; others renegotiate.
  void leave(const std::string& participant);
  // The peer's side of one of the participant's transports.
  base::Status connect(const std::string& participant, bool publish, const RemoteTransportParams& remote);

  // A stream the participant publishes; every other participant gets a
  // consumer (and a renegotiation).
  base::Result<ProducerId> produce(const std::string& participant, const ProducerParams& params);
  base::Status close_producer(ProducerId id);
  // Mute / camera off: nothing of the producer is forwarded while paused.
  base::Status pause_producer(ProducerId id, bool paused);
  // One subscriber stops / resumes receiving one producer. Resuming video
  // asks the publisher for a keyframe.
  base::Status pause_consumer(const std::string& subscriber, ProducerId id, bool paused);

  // What the subscriber's next offer must describe, in producer order.
  std::vector<ConsumerInfo> consumers(const std::string& subscriber) const;
  const Producer* producer(ProducerId id) const;
  const Consumer* consumer(const std::string& subscriber, ProducerId id) const;
  const Participant* participant(const std::string& id) const;
  std::size_t size() const { return participants_.size(); }
  const std::string& active_speaker() const { return active_speaker_; }
  // Our side of the participant's publish / subscribe transport (for SDP).
  std::optional<LocalTransportParams> local_params(const std::string& participant, bool publish) const;

  struct Counters {
    std::uint64_t unknown_ssrc = 0;     // RTP for no producer of the sender
    std::uint64_t malformed_rtcp = 0;
    std::uint64_t forwarded = 0;        // packets sent to consumers
    std::uint64_t reports_sent = 0;     // RTCP compounds with SR or RR
    std::uint64_t retransmitted = 0;    // NACKed packets resent (all consumers)
    std::uint64_t nack_misses = 0;      // NACKed packets no longer cached
    std::uint64_t keyframe_requests = 0;  // PLIs sent to publishers
  };
  const Counters& counters() const { return counters_; }

  // The worker's timer: reports and speaker detection.
  void on_tick(std::int64_t now_ms);

 private:
  // WebRtcTransport::Listener
  void on_transport_rtp(WebRtcTransport& t, rtc::rtp::Packet& packet, std::int64_t now_ms) override;
  void on_transport_rtcp(WebRtcTransport& t, std::span<const std::uint8_t> compound, std::int64_t now_ms) override;
  void on_transport_connected(WebRtcTransport& t) override;
  void on_transport_failed(WebRtcTransport& t) override;

  void add_consumer(Producer& producer, Participant& subscriber);
  void remove_consumers_of(Producer& producer);
  void forward(Consumer& c, const rtc::rtp::Packet& in, std::int64_t now_ms);
  static void rename_extensions(const Producer& p, rtc::rtp::Packet& packet);
  void on_nack(Consumer& c, const rtc::rtcp::Nack& nack, std::int64_t now_ms);
  void request_keyframe(Producer& p, std::int64_t now_ms);
  void send_reports(std::int64_t now_ms);
  void detect_speaker();
  Participant* find(const std::string& id);
  std::uint32_t new_ssrc();

  std::string id_;
  Worker& worker_;
  Listener* listener_;
  Options options_;
  std::map<std::string, std::unique_ptr<Participant>> participants_;
  std::unordered_map<TransportId, Participant*> by_transport_;
  std::map<ProducerId, std::unique_ptr<Producer>> producers_;
  ProducerId next_producer_ = 1;
  std::int64_t next_report_ms_ = 0;
  std::int64_t next_speaker_ms_ = 0;
  std::string active_speaker_;
  std::optional<std::string> speaker_candidate_;  // "" = silence
  std::uint32_t test_drop_counter_ = 0;
  Counters counters_;
};

}  // namespace parley::sfu
