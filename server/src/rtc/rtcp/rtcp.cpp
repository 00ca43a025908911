#include "rtc/rtcp/rtcp.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace parley::rtc::rtcp {

namespace {

using base::Result;
using base::Status;

Status bad(std::string m) { return Status::bad_request("rtcp: " + std::move(m)); }

constexpr std::size_t kHeader = 4;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::size_t kSenderInfoSize = 24;  // SSRC + NTP(8) + RTP ts + counts
constexpr std::size_t kFeedbackHeader = 8;   // sender + media SSRC
constexpr std::size_t kTwccFixed = 16;       // feedback header + base/count/ref/fb

std::int32_t sign_extend24(std::uint32_t v) {
  return (v & 0x800000) ? static_cast<std::int32_t>(v | 0xFF000000u) : static_cast<std::int32_t>(v);
}

std::uint32_t to_u24(std::int32_t v) {
  if (v > 0x7FFFFF) v = 0x7FFFFF;
  if (v < -0x800000) v = -0x800000;
  return static_cast<std::uint32_t>(v) & 0xFFFFFF;
}

void write_report_block(std::uint8_t* p, const ReportBlock& b) {
  store_u32(p, b.ssrc);
  p[4] = b.fraction_lost;
  store_u24(p + 5, to_u24(b.cumulative_lost));
  store_u32(p + 8, b.highest_sequence);
  store_u32(p + 12, b.jitter);
  store_u32(p + 16, b.last_sr);
  store_u32(p + 20, b.delay_since_last_sr);
}

Status expect(const PacketView& p, Type type) {
  if (p.type != static_cast<std::uint8_t>(type)) return bad("unexpected packet type " + std::to_string(p.type));
  return Status::ok();
}

Status expect_feedback(const PacketView& p, Type type, std::uint8_t fmt) {
  PARLEY_RETURN_IF_ERROR(expect(p, type));
  if (p.count != fmt) return bad("unexpected feedback FMT " + std::to_string(p.count));
  if (p.body.size() < kFeedbackHeader) return bad("feedback shorter than its two SSRCs");
  return Status::ok();
}

// Walks the packet status chunks and receive deltas of a transport-wide
// feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 section
// 3.1). Symbols: 0 not received, 1 small delta (1 byte), 2 large or
// negative delta (2 bytes), 3 reserved (an error). `out` may be null (just
// validate).
Status decode_twcc(const TransportFeedback& fb, std::vector<TwccPacket>* out) {
  const std::span<const std::uint8_t> d = fb.chunks_and_deltas;
  const std::size_t n = fb.status_count;
  if (n == 0) return bad("transport feedback without packets");
  // Symbols are stored in a small stack buffer per chunk; deltas are read
  // after all chunks, so the chunks are walked twice (once to find where the
  // deltas begin, once to decode).
  std::size_t covered = 0;
  std::size_t pos = 0;
  std::size_t received = 0;
  std::size_t delta_bytes = 0;
  while (covered < n) {
    if (d.size() - pos < 2) return bad("transport feedback chunks truncated");
    const std::uint16_t c = load_u16(d.data() + pos);
    pos += 2;
    auto count_symbol = [&](unsigned s) -> bool {
      if (covered >= n) return true;  // bits past the status count are ignored
      if (s == 3) return false;
      if (s != 0) {
        ++received;
        delta_bytes += s;
      }
      ++covered;
      return true;
    };
    if ((c & 0x8000) == 0) {  // run length chunk
      const unsigned s = (c >> 13) & 3;
      const std::size_t run = c & 0x1FFF;
      if (s == 3) return bad("reserved status symbol");
      const std::size_t take = std::min(run, n - covered);
      if (s != 0) {
        received += take;
        delta_bytes += take * s;
      }
      covered += take;
    } else if ((c & 0x4000) == 0) {  // 14 one-bit symbols
      for (int i = 13; i >= 0; --i) count_symbol((c >> i) & 1);
    } else {  // 7 two-bit symbols
      for (int i = 6; i >= 0; --i) {
        if (!count_symbol((c >> (2 * i)) & 3)) return bad("reserved status symbol");
      }
    }
  }
  if (delta_bytes > d.size() - pos) return bad("transport feedback deltas truncated");
  if (out == nullptr) return Status::ok();

  out->clear();
  out->reserve(n);
  std::size_t dpos = pos;
  std::size_t cpos = 0;
  std::uint16_t seq = fb.base_sequence;
  auto emit = [&](unsigned s) {
    if (out->size() >= n) return;
    TwccPacket t;
    t.sequence = seq++;
    if (s == 1) {
      t.received = true;
      t.delta = d[dpos++];
    } else if (s == 2) {
      t.received = true;
      t.delta = static_cast<std::int16_t>(load_u16(d.data() + dpos));
      dpos += 2;
    }
    out->push_back(t);
  };
  while (out->size() < n) {
    const std::uint16_t c = load_u16(d.data() + cpos);
    cpos += 2;
    if ((c & 0x8000) == 0) {
      const unsigned s = (c >> 13) & 3;
      for (std::size_t i = 0, run = c & 0x1FFF; i < run && out->size() < n; ++i) emit(s);
    } else if ((c & 0x4000) == 0) {
      for (int i = 13; i >= 0; --i) emit((c >> i) & 1);
    } else {
      for (int i = 6; i >= 0; --i) emit((c >> (2 * i)) & 3);
    }
  }
  return Status::ok();
}

}  // namespace

bool is_rtcp(std::span<const std::uint8_t> d) {
  return d.size() >= kHeader && (d[0] >> 6) == 2 && d[1] >= 192 && d[1] <= 223;
}

Result<Compound> Compound::parse(std::span<const std::uint8_t> d, CompoundRules rules) {
  if (d.size() < kHeader) return bad("shorter than one header");
  Compound c;
  c.data_ = d;
  std::size_t pos = 0;
  while (pos < d.size()) {
    if (d.size() - pos < kHeader) return bad("trailing bytes after the last packet");
    const std::uint8_t* h = d.data() + pos;
    if ((h[0] >> 6) != 2) return bad("version is not 2");
    if (h[1] < 192 || h[1] > 223) return bad("packet type outside 192..223");
    const std::size_t size = (load_u16(h + 2) + 1u) * 4;
    if (size > d.size() - pos) return bad("packet length overruns the datagram");
    const bool last = pos + size == d.size();
    if (h[0] & 0x20) {
      const std::size_t padding = h[size - 1];
      if (padding == 0 || padding > size - kHeader) return bad("bad padding count");
      if (rules == CompoundRules::Full && !last) return bad("padding on a packet that is not last");
    }
    if (c.count_ == 0 && rules == CompoundRules::Full && h[1] != static_cast<std::uint8_t>(Type::SenderReport) &&
        h[1] != static_cast<std::uint8_t>(Type::ReceiverReport)) {
      return bad("compound does not start with SR or RR");
    }
    ++c.count_;
    pos += size;
  }
  return c;
}

PacketView Compound::Iterator::operator*() const {
  PacketView v;
  const std::uint8_t* h = rest_.data();
  const std::size_t size = (load_u16(h + 2) + 1u) * 4;
  v.type = h[1];
  v.count = h[0] & 0x1F;
  v.bytes = rest_.first(size);
  const std::size_t padding = (h[0] & 0x20) ? h[size - 1] : 0;
  v.body = rest_.subspan(kHeader, size - kHeader - padding);
  return v;
}

Compound::Iterator& Compound::Iterator::operator++() {
  const std::size_t size = (load_u16(rest_.data() + 2) + 1u) * 4;
  rest_ = rest_.subspan(size);
  return *this;
}

ReportBlock decode_report_block(const std::uint8_t* p) {
  ReportBlock b;
  b.ssrc = load_u32(p);
  b.fraction_lost = p[4];
  b.cumulative_lost = sign_extend24(load_u24(p + 5));
  b.highest_sequence = load_u32(p + 8);
  b.jitter = load_u32(p + 12);
  b.last_sr = load_u32(p + 16);
  b.delay_since_last_sr = load_u32(p + 20);
  return b;
}

NackItem decode_nack_item(const std::uint8_t* p) { return {load_u16(p), load_u16(p + 2)}; }

FirEntry decode_fir_entry(const std::uint8_t* p) { return {load_u32(p), p[4]}; }

Result<SenderReport> parse_sender_report(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect(p, Type::SenderReport));
  const std::size_t need = kSenderInfoSize + p.count * kReportBlockSize;
  if (p.body.size() < need) return bad("sender report shorter than its report count");
  SenderReport sr;
  const std::uint8_t* b = p.body.data();
  sr.info.ssrc = load_u32(b);
  sr.info.ntp_time = load_u64(b + 4);
  sr.info.rtp_timestamp = load_u32(b + 12);
  sr.info.packet_count = load_u32(b + 16);
  sr.info.octet_count = load_u32(b + 20);
  sr.blocks = ReportBlocks(p.body.subspan(kSenderInfoSize, p.count * kReportBlockSize));
  return sr;
}

Result<ReceiverReport> parse_receiver_report(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect(p, Type::ReceiverReport));
  const std::size_t need = 4 + p.count * kReportBlockSize;
  if (p.body.size() < need) return bad("receiver report shorter than its report count");
  ReceiverReport rr;
  rr.ssrc = load_u32(p.body.data());
  rr.blocks = ReportBlocks(p.body.subspan(4, p.count * kReportBlockSize));
  return rr;
}

// RFC 3550 section 6.5: SC chunks of SSRC + items, each chunk ended by at
// least one null octet and padded to a 32-bit boundary.
Status parse_sdes(const PacketView& p, std::vector<SdesItem>& out) {
  out.clear();
  PARLEY_RETURN_IF_ERROR(expect(p, Type::Sdes));
  const auto d = p.body;
  std::size_t pos = 0;
  for (std::size_t chunk = 0; chunk < p.count; ++chunk) {
    if (d.size() - pos < 4) return bad("SDES chunk truncated");
    const std::uint32_t ssrc = load_u32(d.data() + pos);
    pos += 4;
    while (true) {
      if (pos >= d.size()) return bad("SDES chunk without its terminating null");
      const std::uint8_t type = d[pos];
      if (type == 0) {
        pos += 1;
        pos += pad4(pos);
        if (pos > d.size()) return bad("SDES chunk padding overruns");
        break;
      }
      if (d.size() - pos < 2) return bad("SDES item truncated");
      const std::size_t len = d[pos + 1];
      if (len > d.size() - pos - 2) return bad("SDES item overruns");
      out.push_back({ssrc, type, std::string_view(reinterpret_cast<const char*>(d.data() + pos + 2), len)});
      pos += 2 + len;
    }
  }
  return Status::ok();
}

Result<Bye> parse_bye(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect(p, Type::Bye));
  const std::size_t list = p.count * 4u;
  if (p.body.size() < list) return bad("BYE shorter than its source count");
  Bye bye;
  bye.ssrcs = SsrcList(p.body.first(list));
  if (p.body.size() > list) {
    const std::size_t len = p.body[list];
    if (len > p.body.size() - list - 1) return bad("BYE reason overruns");
    bye.reason = std::string_view(reinterpret_cast<const char*>(p.body.data() + list + 1), len);
  }
  return bye;
}

Result<Nack> parse_nack(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect_feedback(p, Type::TransportFeedback, kFmtNack));
  const auto fci = p.body.subspan(kFeedbackHeader);
  if (fci.empty() || fci.size() % 4 != 0) return bad("NACK without whole PID/BLP items");
  Nack n;
  n.sender_ssrc = load_u32(p.body.data());
  n.media_ssrc = load_u32(p.body.data() + 4);
  n.items = NackItems(fci);
  return n;
}

Result<Pli> parse_pli(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect_feedback(p, Type::PayloadFeedback, kFmtPli));
  return Pli{load_u32(p.body.data()), load_u32(p.body.data() + 4)};
}

Result<Fir> parse_fir(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect_feedback(p, Type::PayloadFeedback, kFmtFir));
  const auto fci = p.body.subspan(kFeedbackHeader);
  if (fci.empty() || fci.size() % 8 != 0) return bad("FIR without whole entries");
  Fir f;
  f.sender_ssrc = load_u32(p.body.data());
  f.entries = FirEntries(fci);
  return f;
}

// draft-alvestrand-rmcat-remb-03 section 2.2: "REMB", Num SSRC (8), BR Exp
// (6), BR Mantissa (18), then the SSRCs.
Result<Remb> parse_remb(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect_feedback(p, Type::PayloadFeedback, kFmtAfb));
  const auto fci = p.body.subspan(kFeedbackHeader);
  if (fci.size() < 8 || std::memcmp(fci.data(), "REMB", 4) != 0) return bad("AFB that is not REMB");
  const std::size_t num = fci[4];
  if (fci.size() < 8 + num * 4) return bad("REMB shorter than its SSRC count");
  Remb r;
  r.sender_ssrc = load_u32(p.body.data());
  const unsigned exp = fci[5] >> 2;
  const std::uint64_t mantissa = load_u24(fci.data() + 5) & 0x3FFFF;
  // 18-bit mantissa << up to 63 overflows 64 bits: saturate.
  if (exp > 46 && mantissa != 0) {
    r.bitrate_bps = UINT64_MAX;
  } else {
    r.bitrate_bps = mantissa << exp;
  }
  r.ssrcs = SsrcList(fci.subspan(8, num * 4));
  return r;
}

Result<TransportFeedback> parse_transport_feedback(const PacketView& p) {
  PARLEY_RETURN_IF_ERROR(expect_feedback(p, Type::TransportFeedback, kFmtTransportCc));
  if (p.body.size() < kTwccFixed) return bad("transport feedback shorter than its fixed part");
  const std::uint8_t* b = p.body.data();
  TransportFeedback fb;
  fb.sender_ssrc = load_u32(b);
  fb.media_ssrc = load_u32(b + 4);
  fb.base_sequence = load_u16(b + 8);
  fb.status_count = load_u16(b + 10);
  fb.reference_time = sign_extend24(load_u24(b + 12));
  fb.feedback_count = b[15];
  fb.chunks_and_deltas = p.body.subspan(kTwccFixed);
  PARLEY_RETURN_IF_ERROR(decode_twcc(fb, nullptr));
  return fb;
}

Status TransportFeedback::packets(std::vector<TwccPacket>& out) const { return decode_twcc(*this, &out); }

// ---------------------------------------------------------------------------

std::uint8_t* Writer::begin_packet(Type type, std::uint8_t count, std::size_t body) {
  const std::size_t size = kHeader + body;
  if (body % 4 != 0 || size > out_.size() - size_ || size / 4 - 1 > 0xFFFF) return nullptr;
  std::uint8_t* h = out_.data() + size_;
  std::memset(h, 0, size);
  h[0] = static_cast<std::uint8_t>(0x80 | (count & 0x1F));
  h[1] = static_cast<std::uint8_t>(type);
  store_u16(h + 2, static_cast<std::uint16_t>(size / 4 - 1));
  size_ += size;
  return h + kHeader;
}

bool Writer::add_sender_report(const SenderInfo& info, std::span<const ReportBlock> blocks) {
  if (blocks.size() > 31) return false;
  std::uint8_t* p = begin_packet(Type::SenderReport, static_cast<std::uint8_t>(blocks.size()),
                                 kSenderInfoSize + blocks.size() * kReportBlockSize);
  if (p == nullptr) return false;
  store_u32(p, info.ssrc);
  store_u64(p + 4, info.ntp_time);
  store_u32(p + 12, info.rtp_timestamp);
  store_u32(p + 16, info.packet_count);
  store_u32(p + 20, info.octet_count);
  for (std::size_t i = 0; i < blocks.size(); ++i) write_report_block(p + kSenderInfoSize + i * kReportBlockSize, blocks[i]);
  return true;
}

bool Writer::add_receiver_report(std::uint32_t ssrc, std::span<const ReportBlock> blocks) {
  if (blocks.size() > 31) return false;
  std::uint8_t* p = begin_packet(Type::ReceiverReport, static_cast<std::uint8_t>(blocks.size()),
                                 4 + blocks.size() * kReportBlockSize);
  if (p == nullptr) return false;
  store_u32(p, ssrc);
  for (std::size_t i = 0; i < blocks.size(); ++i) write_report_block(p + 4 + i * kReportBlockSize, blocks[i]);
  return true;
}

bool Writer::add_sdes_cname(std::uint32_t ssrc, std::string_view cname) {
  if (cname.size() > 255) return false;
  // SSRC, CNAME item, null terminator, padding to 4.
  std::size_t chunk = 4 + 2 + cname.size() + 1;
  chunk += pad4(chunk);
  std::uint8_t* p = begin_packet(Type::Sdes, 1, chunk);
  if (p == nullptr) return false;
  store_u32(p, ssrc);
  p[4] = kSdesCname;
  p[5] = static_cast<std::uint8_t>(cname.size());
  if (!cname.empty()) std::memcpy(p + 6, cname.data(), cname.size());
  return true;
}

bool Writer::add_bye(std::span<const std::uint32_t> ssrcs, std::string_view reason) {
  if (ssrcs.size() > 31 || reason.size() > 255) return false;
  std::size_t body = ssrcs.size() * 4;
  if (!reason.empty()) body += 1 + reason.size();
  body += pad4(body);
  std::uint8_t* p = begin_packet(Type::Bye, static_cast<std::uint8_t>(ssrcs.size()), body);
  if (p == nullptr) return false;
  for (std::size_t i = 0; i < ssrcs.size(); ++i) store_u32(p + 4 * i, ssrcs[i]);
  if (!reason.empty()) {
    p[ssrcs.size() * 4] = static_cast<std::uint8_t>(reason.size());
    std::memcpy(p + ssrcs.size() * 4 + 1, reason.data(), reason.size());
  }
  return true;
}

bool Writer::add_nack(std::uint32_t sender_ssrc, std::uint32_t media_ssrc, std::span<const std::uint16_t> lost) {
  if (lost.empty()) return false;
  // Count the PID/BLP pairs first.
  std::size_t items = 0;
  for (std::size_t i = 0; i < lost.size();) {
    const std::uint16_t pid = lost[i++];
    while (i < lost.size()) {
      const auto diff = static_cast<std::uint16_t>(lost[i] - pid);
      if (diff < 1 || diff > 16) break;
      ++i;
    }
    ++items;
  }
  std::uint8_t* p = begin_packet(Type::TransportFeedback, kFmtNack, kFeedbackHeader + items * 4);
  if (p == nullptr) return false;
  store_u32(p, sender_ssrc);
  store_u32(p + 4, media_ssrc);
  std::uint8_t* fci = p + kFeedbackHeader;
  for (std::size_t i = 0; i < lost.size();) {
    const std::uint16_t pid = lost[i++];
    std::uint16_t blp = 0;
    while (i < lost.size()) {
      const auto diff = static_cast<std::uint16_t>(lost[i] - pid);
      if (diff < 1 || diff > 16) break;
      blp = static_cast<std::uint16_t>(blp | (1u << (diff - 1)));
      ++i;
    }
    store_u16(fci, pid);
    store_u16(fci + 2, blp);
    fci += 4;
  }
  return true;
}

bool Writer::add_pli(std::uint32_t sender_ssrc, std::uint32_t media_ssrc) {
  std::uint8_t* p = begin_packet(Type::PayloadFeedback, kFmtPli, kFeedbackHeader);
  if (p == nullptr) return false;
  store_u32(p, sender_ssrc);
  store_u32(p + 4, media_ssrc);
  return true;
}

bool Writer::add_fir(std::uint32_t sender_ssrc, std::span<const FirEntry> entries) {
  if (entries.empty()) return false;
  std::uint8_t* p = begin_packet(Type::PayloadFeedback, kFmtFir, kFeedbackHeader + entries.size() * 8);
  if (p == nullptr) return false;
  store_u32(p, sender_ssrc);
  store_u32(p + 4, 0);  // RFC 5104 section 4.3.1.2: media source SSRC is unused
  for (std::size_t i = 0; i < entries.size(); ++i) {
    store_u32(p + kFeedbackHeader + 8 * i, entries[i].ssrc);
    p[kFeedbackHeader + 8 * i + 4] = entries[i].sequence;
  }
  return true;
}

bool Writer::add_remb(std::uint32_t sender_ssrc, std::uint64_t bitrate_bps, std::span<const std::uint32_t> ssrcs) {
  if (ssrcs.size() > 255) return false;
  unsigned exp = 0;
  while ((bitrate_bps >> exp) > 0x3FFFF) ++exp;
  if (exp > 63) return false;
  std::uint8_t* p = begin_packet(Type::PayloadFeedback, kFmtAfb, kFeedbackHeader + 8 + ssrcs.size() * 4);
  if (p == nullptr) return false;
  store_u32(p, sender_ssrc);
  store_u32(p + 4, 0);
  std::uint8_t* f = p + kFeedbackHeader;
  std::memcpy(f, "REMB", 4);
  f[4] = static_cast<std::uint8_t>(ssrcs.size());
  const auto mantissa = static_cast<std::uint32_t>(bitrate_bps >> exp);
  store_u24(f + 5, (exp << 18) | mantissa);
  for (std::size_t i = 0; i < ssrcs.size(); ++i) store_u32(f + 8 + 4 * i, ssrcs[i]);
  return true;
}

bool Writer::add_transport_feedback(std::uint32_t sender_ssrc, std::uint32_t media_ssrc,
                                    std::uint16_t base_sequence, std::int32_t reference_time,
                                    std::uint8_t feedback_count, std::span<const TwccPacket> packets) {
  const std::size_t n = packets.size();
  if (n == 0 || n > 0xFFFF) return false;
  if (reference_time > 0x7FFFFF || reference_time < -0x800000) return false;
  // Symbols and sizes first.
  auto symbol = [](const TwccPacket& t) -> unsigned {
    if (!t.received) return 0;
    return (t.delta >= 0 && t.delta <= 255) ? 1 : 2;
  };
  std::size_t delta_bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const TwccPacket& t = packets[i];
    if (t.sequence != static_cast<std::uint16_t>(base_sequence + i)) return false;
    if (t.received && (t.delta < -32768 || t.delta > 32767)) return false;
    delta_bytes += symbol(t);
  }
  // Chunks, chosen the way libwebrtc chooses them so a feedback round trips
  // byte for byte: symbols accumulate while they fit a two-bit vector (7),
  // a one-bit vector (14, no large delta) or a run (all equal, up to 8191);
  // a full accumulator is emitted as a run when all equal, else as a
  // one-bit vector of 14 or a two-bit vector of its first 7.
  auto plan = [&](auto&& emit) {
    std::array<unsigned, 14> buf{};
    std::size_t size = 0;
    bool all_same = true;
    bool has_large = false;
    auto reset_flags = [&] {
      all_same = true;
      has_large = false;
      for (std::size_t k = 0; k < size; ++k) {
        all_same = all_same && buf[k] == buf[0];
        has_large = has_large || buf[k] == 2;
      }
    };
    auto two_bit = [&](std::size_t count) {
      std::uint16_t c = 0xC000;
      for (std::size_t k = 0; k < count; ++k) c = static_cast<std::uint16_t>(c | (buf[k] << (2 * (6 - k))));
      emit(c);
    };
    auto one_bit = [&](std::size_t count) {
      std::uint16_t c = 0x8000;
      for (std::size_t k = 0; k < count; ++k) c = static_cast<std::uint16_t>(c | (buf[k] << (13 - k)));
      emit(c);
    };
    auto flush = [&] {
      if (all_same) {
        emit(static_cast<std::uint16_t>((buf[0] << 13) | size));
        size = 0;
      } else if (size == 14) {
        one_bit(14);
        size = 0;
      } else {
        two_bit(7);
        for (std::size_t k = 7; k < size; ++k) buf[k - 7] = buf[k];
        size -= 7;
      }
      reset_flags();
    };
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned s = symbol(packets[i]);
      const bool fits = size < 7 || (size < 14 && !has_large && s != 2) ||
                        (all_same && size > 0 && buf[0] == s && size < 0x1FFF);
      if (!fits) flush();
      if (size < buf.size()) buf[size] = s;
      if (size > 0 && buf[0] != s) all_same = false;
      has_large = has_large || s == 2;
      ++size;
    }
    if (size == 0) return;
    if (all_same) {
      emit(static_cast<std::uint16_t>((buf[0] << 13) | size));
    } else if (size <= 7) {
      two_bit(size);
    } else {
      one_bit(size);
    }
  };
  std::size_t chunks = 0;
  plan([&](std::uint16_t) { ++chunks; });
  const std::size_t content = kTwccFixed + chunks * 2 + delta_bytes;
  const std::size_t padding = pad4(content);
  std::uint8_t* p = begin_packet(Type::TransportFeedback, kFmtTransportCc, content + padding);
  if (p == nullptr) return false;
  store_u32(p, sender_ssrc);
  store_u32(p + 4, media_ssrc);
  store_u16(p + 8, base_sequence);
  store_u16(p + 10, static_cast<std::uint16_t>(n));
  store_u24(p + 12, static_cast<std::uint32_t>(reference_time) & 0xFFFFFF);
  p[15] = feedback_count;
  std::uint8_t* w = p + kTwccFixed;
  plan([&](std::uint16_t c) {
    store_u16(w, c);
    w += 2;
  });
  for (const TwccPacket& t : packets) {
    const unsigned s = symbol(t);
    if (s == 1) *w++ = static_cast<std::uint8_t>(t.delta);
    if (s == 2) {
      store_u16(w, static_cast<std::uint16_t>(static_cast<std::int16_t>(t.delta)));
      w += 2;
    }
  }
  // Padding as libwebrtc sends it: the P bit, the count in the last byte.
  if (padding > 0) {
    std::uint8_t* header = p - kHeader;
    header[0] = static_cast<std::uint8_t>(header[0] | 0x20);
    p[content + padding - 1] = static_cast<std::uint8_t>(padding);
  }
  return true;
}

}  // namespace parley::rtc::rtcp
