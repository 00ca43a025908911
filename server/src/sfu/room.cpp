#include "sfu/room.hpp"

#include <algorithm>
#include <cstring>

#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/rtx.hpp"
#include "sfu/worker.hpp"

namespace parley::sfu {

namespace rtp = rtc::rtp;
namespace rtcp = rtc::rtcp;

namespace {

// Wall-clock milliseconds since 1970 as NTP 32.32 (RFC 3550 section 4).
std::uint64_t ntp_from_unix_ms(std::int64_t ms) {
  constexpr std::uint64_t kEpochDelta = 2208988800ULL;  // 1900 -> 1970
  const std::uint64_t secs = static_cast<std::uint64_t>(ms / 1000) + kEpochDelta;
  const std::uint64_t frac = (static_cast<std::uint64_t>(ms % 1000) << 32) / 1000;
  return (secs << 32) | frac;
}

bool seq_newer(std::uint16_t a, std::uint16_t b) { return static_cast<std::int16_t>(a - b) > 0; }

}  // namespace

// ---- ReceiveStats (RFC 3550 A.1, A.3, A.8) ----------------------------------

void ReceiveStats::update(std::uint16_t seq, std::uint32_t ts, std::size_t size, std::int64_t now_ms,
                          std::uint32_t clock_rate) {
  if (!started) {
    started = true;
    max_seq = seq;
    base_seq = seq;
  } else if (seq_newer(seq, max_seq)) {
    if (seq < max_seq) cycles += 1u << 16;
    max_seq = seq;
  }
  ++received;
  bytes += size;
  const std::int64_t arrival = now_ms * static_cast<std::int64_t>(clock_rate) / 1000;
  const std::int64_t transit = arrival - static_cast<std::int64_t>(ts);
  if (have_transit) {
    std::int64_t d = transit - last_transit;
    if (d < 0) d = -d;
    // A jump of more than a few seconds is a timestamp discontinuity, not jitter.
    if (d < static_cast<std::int64_t>(clock_rate) * 4) jitter += (static_cast<double>(d) - jitter) / 16.0;
  }
  last_transit = transit;
  have_transit = true;
}

rtcp::ReportBlock ReceiveStats::report(std::uint32_t ssrc, std::int64_t now_ms) {
  rtcp::ReportBlock b;
  b.ssrc = ssrc;
  const std::uint64_t exp = expected();
  const std::int64_t lost = static_cast<std::int64_t>(exp) - static_cast<std::int64_t>(received);
  b.cumulative_lost = static_cast<std::int32_t>(std::clamp<std::int64_t>(lost, -0x800000, 0x7FFFFF));
  const std::uint64_t exp_interval = exp - expected_prior;
  const std::uint64_t rec_interval = received - received_prior;
  expected_prior = exp;
  received_prior = received;
  const std::int64_t lost_interval = static_cast<std::int64_t>(exp_interval) - static_cast<std::int64_t>(rec_interval);
  b.fraction_lost = (exp_interval == 0 || lost_interval <= 0)
                        ? 0
                        : static_cast<std::uint8_t>(std::min<std::int64_t>(255, (lost_interval << 8) / exp_interval));
  b.highest_sequence = extended_max();
  b.jitter = static_cast<std::uint32_t>(jitter);
  if (last_sr_ms >= 0) {
    b.last_sr = last_sr;
    b.delay_since_last_sr = static_cast<std::uint32_t>((now_ms - last_sr_ms) * 65536 / 1000);
  }
  return b;
}

// ---- Producer / Consumer ----------------------------------------------------

Producer::Producer(ProducerId id, Participant& owner, ProducerParams params)
    : id_(id), owner_(owner), params_(std::move(params)) {
  extension_ids_.fill(0);  // 0: "unused" (chosen by form when renaming)
  if (params_.audio_level_id != 0 && params_.kind == MediaKind::Audio) {
    extension_ids_[params_.audio_level_id] = kSubscriberAudioLevelId;
  }
  if (params_.abs_send_time_id != 0) extension_ids_[params_.abs_send_time_id] = kSubscriberAbsSendTimeId;
}

void Room::rename_extensions(const Producer& p, rtp::Packet& packet) {
  // Element headers sit just before each value: one byte (id << 4 | len-1)
  // in the one-byte form, two bytes (id, len) in the two-byte form.
  const auto form = packet.extension_form();
  if (form != rtp::ExtensionForm::OneByte && form != rtp::ExtensionForm::TwoByte) return;
  auto bytes = packet.mutable_bytes();
  for (const auto& e : packet.extensions()) {
    std::uint8_t to = p.extension_ids_[e.id];
    if (form == rtp::ExtensionForm::OneByte) {
      if (to == 0) to = kSubscriberUnusedOneByteId;
      std::uint8_t& h = bytes[e.offset - 1];
      h = static_cast<std::uint8_t>((to << 4) | (h & 0x0F));
    } else {
      if (to == 0) to = kSubscriberUnusedTwoByteId;
      bytes[e.offset - 2] = to;
    }
  }
}

Consumer::Consumer(Producer& producer, Participant& subscriber, std::uint32_t ssrc, std::uint32_t rtx_ssrc,
                   std::uint16_t first_seq, std::uint32_t ts_base)
    : producer_(producer),
      subscriber_(subscriber),
      ssrc_(ssrc),
      rtx_ssrc_(rtx_ssrc),
      next_seq_(first_seq),
      ts_base_(ts_base),
      rtx_seq_(static_cast<std::uint16_t>(first_seq * 7 + 1)) {}

ConsumerInfo Consumer::info() const {
  const auto& p = producer_.params();
  ConsumerInfo i;
  i.producer = producer_.id();
  i.publisher = producer_.owner().id;
  i.kind = p.kind;
  i.ssrc = ssrc_;
  i.rtx_ssrc = rtx_ssrc_;
  i.payload_type = p.payload_type;
  i.rtx_payload_type = p.rtx_payload_type;
  i.clock_rate = p.clock_rate;
  i.paused = paused_;
  return i;
}

// ---- Room -------------------------------------------------------------------

Room::Room(std::string id, Worker& worker, Listener* listener, Options options)
    : id_(std::move(id)), worker_(worker), listener_(listener), options_(options) {}

Room::~Room() {
  for (auto& [id, p] : participants_) {
    if (p->publish) worker_.close_transport(p->publish->id());
    if (p->subscribe) worker_.close_transport(p->subscribe->id());
  }
}

Participant* Room::find(const std::string& id) {
  auto it = participants_.find(id);
  return it == participants_.end() ? nullptr : it->second.get();
}

const Participant* Room::participant(const std::string& id) const {
  auto it = participants_.find(id);
  return it == participants_.end() ? nullptr : it->second.get();
}

std::uint32_t Room::new_ssrc() {
  for (;;) {
    const std::uint32_t s = worker_.random_u32();
    if (s == 0) continue;
    bool taken = false;
    for (auto& [id, p] : participants_) {
      if (p->by_ssrc.contains(s) || p->consumer_by_ssrc.contains(s) || p->rtcp_ssrc == s) taken = true;
    }
    if (!taken) return s;
  }
}

base::Result<JoinResult> Room::join(const std::string& id) {
  if (participants_.contains(id)) return base::Status::conflict("sfu: already in the room");
  if (participants_.size() >= options_.max_participants) return base::Status::limit_exceeded("sfu: room is full");
  auto p = std::make_unique<Participant>();
  p->id = id;
  p->rtcp_ssrc = new_ssrc();
  p->publish = &worker_.create_transport();
  p->subscribe = &worker_.create_transport();
  p->publish->set_listener(this);
  p->subscribe->set_listener(this);
  by_transport_[p->publish->id()] = p.get();
  by_transport_[p->subscribe->id()] = p.get();
  JoinResult r;
  r.publish = p->publish->id();
  r.subscribe = p->subscribe->id();
  r.publish_params = worker_.local_params(*p->publish);
  r.subscribe_params = worker_.local_params(*p->subscribe);
  Participant& ref = *p;
  participants_.emplace(id, std::move(p));
  // The newcomer consumes everything already published.
  bool any = false;
  for (auto& [pid, producer] : producers_) {
    add_consumer(*producer, ref);
    any = true;
  }
  if (any && listener_) listener_->on_renegotiate(id);
  return r;
}

void Room::leave(const std::string& id) {
  Participant* p = find(id);
  if (!p) return;
  std::vector<ProducerId> mine = p->producers;
  for (ProducerId pid : mine) (void)close_producer(pid);
  // Its own consumers: unlink from their producers.
  for (auto& [pid, c] : p->consumers) {
    auto& list = c->producer().consumers_;
    list.erase(std::remove(list.begin(), list.end(), c.get()), list.end());
  }
  p->consumers.clear();
  by_transport_.erase(p->publish->id());
  by_transport_.erase(p->subscribe->id());
  worker_.close_transport(p->publish->id());
  worker_.close_transport(p->subscribe->id());
  if (active_speaker_ == id) {
    active_speaker_.clear();
    if (listener_) listener_->on_active_speaker("");
  }
  participants_.erase(id);
}

base::Status Room::connect(const std::string& id, bool publish, const RemoteTransportParams& remote) {
  Participant* p = find(id);
  if (!p) return base::Status::not_found("sfu: no such participant");
  return (publish ? p->publish : p->subscribe)->connect(remote);
}

base::Result<ProducerId> Room::produce(const std::string& id, const ProducerParams& params) {
  Participant* p = find(id);
  if (!p) return base::Status::not_found("sfu: no such participant");
  if (params.ssrc == 0) return base::Status::bad_request("sfu: producer needs an SSRC");
  if (params.payload_type >= 128 || params.rtx_payload_type >= 128) {
    return base::Status::bad_request("sfu: payload type out of range");
  }
  for (auto& [oid, other] : participants_) {
    if (other->by_ssrc.contains(params.ssrc) || (params.rtx_ssrc && other->by_ssrc.contains(params.rtx_ssrc))) {
      return base::Status::conflict("sfu: SSRC already published in this room");
    }
  }
  const ProducerId pid = next_producer_++;
  auto producer = std::make_unique<Producer>(pid, *p, params);
  Producer& ref = *producer;
  producers_.emplace(pid, std::move(producer));
  p->producers.push_back(pid);
  p->by_ssrc[params.ssrc] = &ref;
  if (params.rtx_ssrc) p->by_ssrc[params.rtx_ssrc] = &ref;
  for (auto& [oid, other] : participants_) {
    if (other.get() == p) continue;
    add_consumer(ref, *other);
    if (listener_) listener_->on_renegotiate(oid);
  }
  return pid;
}

void Room::add_consumer(Producer& producer, Participant& subscriber) {
  const std::uint32_t ssrc = new_ssrc();
  std::uint32_t rtx = 0;
  if (producer.params().rtx_payload_type != 0) {
    do {
      rtx = new_ssrc();
    } while (rtx == ssrc);
  }
  auto c = std::make_unique<Consumer>(producer, subscriber, ssrc, rtx, static_cast<std::uint16_t>(worker_.random_u32()),
                                      worker_.random_u32());
  producer.consumers_.push_back(c.get());
  subscriber.consumer_by_ssrc[ssrc] = c.get();
  if (rtx) subscriber.consumer_by_ssrc[rtx] = c.get();
  subscriber.consumers[producer.id()] = std::move(c);
}

void Room::remove_consumers_of(Producer& producer) {
  for (Consumer* c : producer.consumers_) {
    Participant& s = c->subscriber();
    s.consumer_by_ssrc.erase(c->ssrc());
    if (c->rtx_ssrc()) s.consumer_by_ssrc.erase(c->rtx_ssrc());
    const std::string sid = s.id;
    s.consumers.erase(producer.id());  // destroys c
    if (listener_) listener_->on_renegotiate(sid);
  }
  producer.consumers_.clear();
}

base::Status Room::close_producer(ProducerId id) {
  auto it = producers_.find(id);
  if (it == producers_.end()) return base::Status::not_found("sfu: no such producer");
  Producer& p = *it->second;
  remove_consumers_of(p);
  Participant& owner = p.owner();
  owner.by_ssrc.erase(p.params().ssrc);
  if (p.params().rtx_ssrc) owner.by_ssrc.erase(p.params().rtx_ssrc);
  owner.producers.erase(std::remove(owner.producers.begin(), owner.producers.end(), id), owner.producers.end());
  producers_.erase(it);
  return base::Status::ok();
}

base::Status Room::pause_producer(ProducerId id, bool paused) {
  auto it = producers_.find(id);
  if (it == producers_.end()) return base::Status::not_found("sfu: no such producer");
  Producer& p = *it->second;
  if (p.paused_ == paused) return base::Status::ok();
  p.paused_ = paused;
  if (!paused) {
    for (Consumer* c : p.consumers_) c->synced_ = false;  // continue numbering without a gap
    if (p.params().kind == MediaKind::Video) request_keyframe(p, worker_.clock().steady_ms());
  }
  return base::Status::ok();
}

base::Status Room::pause_consumer(const std::string& subscriber, ProducerId id, bool paused) {
  Participant* s = find(subscriber);
  if (!s) return base::Status::not_found("sfu: no such participant");
  auto it = s->consumers.find(id);
  if (it == s->consumers.end()) return base::Status::not_found("sfu: no such consumer");
  Consumer& c = *it->second;
  if (c.paused_ == paused) return base::Status::ok();
  c.paused_ = paused;
  if (!paused) {
    c.synced_ = false;
    if (c.producer().params().kind == MediaKind::Video) request_keyframe(c.producer(), worker_.clock().steady_ms());
  }
  return base::Status::ok();
}

std::vector<ConsumerInfo> Room::consumers(const std::string& subscriber) const {
  std::vector<ConsumerInfo> out;
  const Participant* s = participant(subscriber);
  if (!s) return out;
  for (const auto& [pid, c] : s->consumers) out.push_back(c->info());
  return out;
}

const Producer* Room::producer(ProducerId id) const {
  auto it = producers_.find(id);
  return it == producers_.end() ? nullptr : it->second.get();
}

const Consumer* Room::consumer(const std::string& subscriber, ProducerId id) const {
  const Participant* s = participant(subscriber);
  if (!s) return nullptr;
  auto it = s->consumers.find(id);
  return it == s->consumers.end() ? nullptr : it->second.get();
}

std::optional<LocalTransportParams> Room::local_params(const std::string& id, bool publish) const {
  const Participant* p = participant(id);
  if (!p) return std::nullopt;
  return worker_.local_params(publish ? *p->publish : *p->subscribe);
}

// ---- the packet path ------------------------------------------------------

void Room::on_transport_rtp(WebRtcTransport& t, rtp::Packet& packet, std::int64_t now_ms) {
  auto pit = by_transport_.find(t.id());
  if (pit == by_transport_.end()) return;
  Participant& sender = *pit->second;
  if (&t != sender.publish) {
    ++counters_.unknown_ssrc;  // RTP on a subscribe transport: nothing to do with it
    return;
  }
  auto it = sender.by_ssrc.find(packet.ssrc());
  if (it == sender.by_ssrc.end()) {
    ++counters_.unknown_ssrc;
    return;
  }
  Producer& producer = *it->second;
  const ProducerParams& params = producer.params();
  std::optional<rtp::Packet> unwrapped;
  rtp::Packet* in = &packet;
  if (params.rtx_ssrc != 0 && packet.ssrc() == params.rtx_ssrc) {
    // The publisher's own retransmission: restore the original and treat it as media.
    auto n = rtp::unwrap_rtx(packet, params.payload_type, params.ssrc);
    if (!n.ok()) return;  // padding-only probe
    auto p = rtp::Packet::parse(packet.mutable_bytes().first(*n));
    if (!p.ok()) return;
    unwrapped = *p;
    in = &*unwrapped;
    ++producer.counters_.rtx_received;
  }
  producer.stats_.update(in->sequence_number(), in->timestamp(), in->size(), now_ms, params.clock_rate);
  if (params.kind == MediaKind::Video) producer.cache_.store(in->sequence_number(), in->bytes(), now_ms);
  if (params.audio_level_id != 0 && !producer.paused_) {
    if (auto level = rtp::read_audio_level(*in, params.audio_level_id)) {
      producer.level_sum_ += level->level;
      ++producer.level_count_;
    }
  }
  for (Consumer* c : producer.consumers_) forward(*c, *in, now_ms);
}

void Room::forward(Consumer& c, const rtp::Packet& in, std::int64_t now_ms) {
  if (c.paused_ || c.producer().paused_) {
    ++c.counters_.dropped_paused;
    return;
  }
  WebRtcTransport* out = c.subscriber().subscribe;
  if (!out->connected()) return;
  const std::uint16_t in_seq = in.sequence_number();
  if (!c.synced_) {
    c.seq_offset_ = static_cast<std::uint16_t>(c.next_seq_ - in_seq);
    if (!c.ts_set_) {
      c.ts_offset_ = c.ts_base_ - in.timestamp();
      c.ts_set_ = true;
    }
    c.synced_ = true;
  }
  const std::uint16_t out_seq = static_cast<std::uint16_t>(in_seq + c.seq_offset_);
  if (!seq_newer(c.next_seq_, out_seq)) c.next_seq_ = static_cast<std::uint16_t>(out_seq + 1);
  auto buf = worker_.scratch();
  std::memcpy(buf.data(), in.bytes().data(), in.size());
  auto copy = rtp::Packet::parse(buf.first(in.size()));
  if (!copy.ok()) return;
  rename_extensions(c.producer(), *copy);
  copy->set_ssrc(c.ssrc_);
  copy->set_sequence_number(out_seq);
  const std::uint32_t ts = in.timestamp() + c.ts_offset_;
  copy->set_timestamp(ts);
  if (options_.test_drop_one_in != 0 && ++test_drop_counter_ % options_.test_drop_one_in == 0) return;
  if (out->send_rtp(buf, in.size())) {
    worker_.note_forwarded();
    ++c.counters_.packets;
    c.counters_.octets += in.payload().size();
    ++counters_.forwarded;
    c.last_ts_ = ts;
    c.last_sent_ms_ = now_ms;
  }
}

void Room::on_nack(Consumer& c, const rtcp::Nack& nack, std::int64_t now_ms) {
  Producer& p = c.producer();
  WebRtcTransport* out = c.subscriber().subscribe;
  nack.for_each_lost([&](std::uint16_t out_seq) {
    ++c.counters_.nacked;
    const std::uint16_t in_seq = static_cast<std::uint16_t>(out_seq - c.seq_offset_);
    auto cached = p.cache_.find(in_seq, now_ms);
    if (!cached || cached->size() > 1500) {
      ++c.counters_.nack_misses;
      ++counters_.nack_misses;
      return;
    }
    // Rewrite a copy as the consumer sent it, then wrap it as RTX.
    auto orig = worker_.scratch2();
    std::memcpy(orig.data(), cached->data(), cached->size());
    auto packet = rtp::Packet::parse(orig.first(cached->size()));
    if (!packet.ok()) return;
    rename_extensions(p, *packet);
    packet->set_ssrc(c.ssrc_);
    packet->set_sequence_number(out_seq);
    packet->set_timestamp(packet->timestamp() + c.ts_offset_);
    auto buf = worker_.scratch();
    std::size_t size = packet->size();
    if (c.rtx_ssrc_ != 0) {
      auto n = rtp::write_rtx(*packet, rtp::RtxStream{p.params().rtx_payload_type, c.rtx_ssrc_}, c.rtx_seq_++,
                              buf.first(buf.size() - rtc::srtp::kMaxTrailer));
      if (!n.ok()) return;
      size = *n;
    } else {
      std::memcpy(buf.data(), packet->bytes().data(), size);
    }
    if (out->send_rtp(buf, size)) {
      ++c.counters_.retransmitted;
      ++counters_.retransmitted;
    }
  });
}

void Room::request_keyframe(Producer& p, std::int64_t now_ms) {
  if (now_ms - p.last_keyframe_request_ms_ < options_.keyframe_throttle_ms) {
    ++p.counters_.keyframe_throttled;
    return;
  }
  WebRtcTransport* t = p.owner().publish;
  if (!t->connected()) return;
  auto buf = worker_.scratch();
  rtcp::Writer w(buf.first(buf.size() - rtc::srtp::kMaxTrailer));
  if (!w.add_pli(p.owner().rtcp_ssrc, p.params().ssrc)) return;
  if (t->send_rtcp(buf, w.size())) {
    p.last_keyframe_request_ms_ = now_ms;
    ++p.counters_.keyframe_requests;
    ++counters_.keyframe_requests;
  }
}

void Room::on_transport_rtcp(WebRtcTransport& t, std::span<const std::uint8_t> compound, std::int64_t now_ms) {
  auto pit = by_transport_.find(t.id());
  if (pit == by_transport_.end()) return;
  Participant& from = *pit->second;
  auto parsed = rtcp::Compound::parse(compound);
  if (!parsed.ok()) {
    ++counters_.malformed_rtcp;
    return;
  }
  const bool publish = &t == from.publish;
  for (const rtcp::PacketView& v : *parsed) {
    const auto type = static_cast<rtcp::Type>(v.type);
    if (publish && type == rtcp::Type::SenderReport) {
      auto sr = rtcp::parse_sender_report(v);
      if (!sr.ok()) continue;
      auto it = from.by_ssrc.find(sr->info.ssrc);
      if (it == from.by_ssrc.end()) continue;
      it->second->stats_.last_sr = static_cast<std::uint32_t>(sr->info.ntp_time >> 16);
      it->second->stats_.last_sr_ms = now_ms;
    } else if (!publish && type == rtcp::Type::TransportFeedback && v.count == 1) {
      auto nack = rtcp::parse_nack(v);
      if (!nack.ok()) continue;
      auto it = from.consumer_by_ssrc.find(nack->media_ssrc);
      if (it != from.consumer_by_ssrc.end()) on_nack(*it->second, *nack, now_ms);
    } else if (!publish && type == rtcp::Type::PayloadFeedback && v.count == 1) {
      auto pli = rtcp::parse_pli(v);
      if (!pli.ok()) continue;
      auto it = from.consumer_by_ssrc.find(pli->media_ssrc);
      if (it == from.consumer_by_ssrc.end()) continue;
      ++it->second->counters_.keyframe_requests;
      request_keyframe(it->second->producer(), now_ms);
    } else if (!publish && type == rtcp::Type::PayloadFeedback && v.count == 4) {
      auto fir = rtcp::parse_fir(v);
      if (!fir.ok()) continue;
      for (std::size_t i = 0; i < fir->entries.size(); ++i) {
        auto it = from.consumer_by_ssrc.find(fir->entries[i].ssrc);
        if (it == from.consumer_by_ssrc.end()) continue;
        ++it->second->counters_.keyframe_requests;
        request_keyframe(it->second->producer(), now_ms);
      }
    } else if (!publish && type == rtcp::Type::ReceiverReport) {
      auto rr = rtcp::parse_receiver_report(v);
      if (!rr.ok()) continue;
      for (std::size_t i = 0; i < rr->blocks.size(); ++i) {
        const auto b = rr->blocks[i];
        auto it = from.consumer_by_ssrc.find(b.ssrc);
        if (it != from.consumer_by_ssrc.end()) it->second->counters_.last_fraction_lost = b.fraction_lost;
      }
    }
  }
}

void Room::on_transport_connected(WebRtcTransport& t) {
  // A subscriber that just connected needs keyframes for the video it receives.
  auto pit = by_transport_.find(t.id());
  if (pit == by_transport_.end() || &t != pit->second->subscribe) return;
  const std::int64_t now = worker_.clock().steady_ms();
  for (auto& [pid, c] : pit->second->consumers) {
    if (c->producer().params().kind == MediaKind::Video) request_keyframe(c->producer(), now);
  }
}

void Room::on_transport_failed(WebRtcTransport& t) {
  auto pit = by_transport_.find(t.id());
  if (pit == by_transport_.end()) return;
  if (listener_) listener_->on_transport_failed(pit->second->id);
}

// ---- timers -----------------------------------------------------------------

void Room::on_tick(std::int64_t now_ms) {
  if (now_ms >= next_report_ms_) {
    next_report_ms_ = now_ms + options_.report_interval_ms;
    send_reports(now_ms);
  }
  if (now_ms >= next_speaker_ms_) {
    next_speaker_ms_ = now_ms + options_.speaker_interval_ms;
    detect_speaker();
  }
}

void Room::send_reports(std::int64_t now_ms) {
  const std::int64_t wall_ms = worker_.clock().now_ms();
  for (auto& [id, p] : participants_) {
    // RR to the publisher: one block per producer that received something.
    if (p->publish->connected() && !p->producers.empty()) {
      std::vector<rtcp::ReportBlock> blocks;
      for (ProducerId pid : p->producers) {
        Producer& prod = *producers_.at(pid);
        if (prod.stats_.started && blocks.size() < 31) blocks.push_back(prod.stats_.report(prod.params().ssrc, now_ms));
      }
      if (!blocks.empty()) {
        auto buf = worker_.scratch();
        rtcp::Writer w(buf.first(buf.size() - rtc::srtp::kMaxTrailer));
        if (w.add_receiver_report(p->rtcp_ssrc, blocks) && w.add_sdes_cname(p->rtcp_ssrc, "parley-sfu") &&
            p->publish->send_rtcp(buf, w.size())) {
          ++counters_.reports_sent;
        }
      }
    }
    // SR to the subscriber: one per consumer that sent something (each in
    // its own compound so a large room never overflows one datagram).
    if (p->subscribe->connected()) {
      for (auto& [pid, c] : p->consumers) {
        if (c->last_sent_ms_ < 0) continue;
        rtcp::SenderInfo si;
        si.ssrc = c->ssrc_;
        si.ntp_time = ntp_from_unix_ms(wall_ms);
        const std::int64_t elapsed = now_ms - c->last_sent_ms_;
        si.rtp_timestamp = c->last_ts_ + static_cast<std::uint32_t>(elapsed * c->producer().params().clock_rate / 1000);
        si.packet_count = static_cast<std::uint32_t>(c->counters_.packets);
        si.octet_count = static_cast<std::uint32_t>(c->counters_.octets);
        auto buf = worker_.scratch();
        rtcp::Writer w(buf.first(buf.size() - rtc::srtp::kMaxTrailer));
        if (w.add_sender_report(si) && w.add_sdes_cname(c->ssrc_, "parley-sfu") &&
            p->subscribe->send_rtcp(buf, w.size())) {
          ++counters_.reports_sent;
        }
      }
    }
  }
}

void Room::detect_speaker() {
  // The loudest audio producer this interval (lowest average -dBov), if
  // loud enough; a change needs two intervals in a row (no flapping).
  const Producer* loudest = nullptr;
  std::uint64_t best = 128;
  for (auto& [pid, p] : producers_) {
    if (p->level_count_ > 0) {
      const std::uint64_t avg = p->level_sum_ / p->level_count_;
      if (avg <= options_.speaking_level && avg < best) {
        best = avg;
        loudest = p.get();
      }
    }
    p->level_sum_ = 0;
    p->level_count_ = 0;
  }
  const std::string winner = loudest ? loudest->owner().id : std::string();
  if (winner == active_speaker_) {
    speaker_candidate_.reset();
    return;
  }
  if (speaker_candidate_ != winner) {  // a new contender (or silence): confirm next interval
    speaker_candidate_ = winner;
    return;
  }
  active_speaker_ = winner;
  speaker_candidate_.reset();
  if (listener_) listener_->on_active_speaker(active_speaker_);
}

}  // namespace parley::sfu
