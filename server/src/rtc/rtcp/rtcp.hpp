// RTCP (RFC 3550 section 6) compound packets and the feedback messages
// WebRTC uses: SR, RR, SDES, BYE (RFC 3550), generic NACK and PLI (RFC
// 4585), FIR (RFC 5104), REMB (draft-alvestrand-rmcat-remb-03) and
// transport-wide congestion control feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01).
//
// Every RTCP packet starts with this header (RFC 3550 section 6.4.1):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P| RC/FMT  |      PT       |      length (words - 1)       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Parsing is in two steps, both allocation-free: Compound::parse validates
// the framing of the whole datagram, then each PacketView is decoded by the
// typed parse_* function for its type. The typed results are views into the
// datagram, which must outlive them. Errors are BadRequest Statuses; the
// caller drops and counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "rtc/bytes.hpp"

namespace parley::rtc::rtcp {

enum class Type : std::uint8_t {
  SenderReport = 200,
  ReceiverReport = 201,
  Sdes = 202,
  Bye = 203,
  App = 204,
  TransportFeedback = 205,  // RTPFB (RFC 4585)
  PayloadFeedback = 206,    // PSFB (RFC 4585)
  ExtendedReport = 207,     // XR (RFC 3611), passed through undecoded
};

// FMT values of RTPFB and PSFB.
inline constexpr std::uint8_t kFmtNack = 1;
inline constexpr std::uint8_t kFmtTransportCc = 15;
inline constexpr std::uint8_t kFmtPli = 1;
inline constexpr std::uint8_t kFmtFir = 4;
inline constexpr std::uint8_t kFmtAfb = 15;  // application layer feedback (REMB)

inline constexpr std::uint8_t kSdesCname = 1;

// Version 2 and a packet type 192..223 (RFC 5761 section 4).
bool is_rtcp(std::span<const std::uint8_t> datagram);

// One packet of a compound, framing already validated.
struct PacketView {
  std::uint8_t type = 0;   // raw PT (see Type)
  std::uint8_t count = 0;  // RC, SC or FMT
  std::span<const std::uint8_t> bytes;  // the whole packet, header and padding included
  std::span<const std::uint8_t> body;   // after the 4-byte header, padding removed
};

enum class CompoundRules : std::uint8_t {
  // RFC 3550 section 6.1 / appendix A.2: the first packet is SR or RR and
  // only the last packet may be padded.
  Full,
  // RFC 5506 reduced-size RTCP (negotiated by "a=rtcp-rsize", which WebRTC
  // always offers): any packet may come first or alone. Padding is accepted
  // on every packet.
  ReducedSize,
};

// A validated compound packet; iterate it for its PacketViews.
class Compound {
 public:
  static base::Result<Compound> parse(std::span<const std::uint8_t> datagram,
                                      CompoundRules rules = CompoundRules::ReducedSize);

  class Iterator {
   public:
    using value_type = PacketView;  // NOLINT(readability-identifier-naming): iterator traits
    using difference_type = std::ptrdiff_t;  // NOLINT(readability-identifier-naming)
    Iterator() = default;
    PacketView operator*() const;
    Iterator& operator++();
    Iterator operator++(int) {
      Iterator t = *this;
      ++*this;
      return t;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.rest_.data() == b.rest_.data(); }

   private:
    friend class Compound;
    explicit Iterator(std::span<const std::uint8_t> rest) : rest_(rest) {}
    std::span<const std::uint8_t> rest_;
  };

  Iterator begin() const { return Iterator(data_); }
  Iterator end() const { return Iterator(data_.subspan(data_.size())); }
  std::size_t packet_count() const { return count_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t count_ = 0;
};

// ---- reports ---------------------------------------------------------------

struct ReportBlock {
  std::uint32_t ssrc = 0;
  std::uint8_t fraction_lost = 0;     // fixed point /256
  std::int32_t cumulative_lost = 0;   // 24-bit signed on the wire
  std::uint32_t highest_sequence = 0; // extended highest sequence number
  std::uint32_t jitter = 0;
  std::uint32_t last_sr = 0;          // middle 32 bits of the SR's NTP time
  std::uint32_t delay_since_last_sr = 0;  // 1/65536 s
};

// A list of fixed-size wire records, decoded on access.
template <typename T, std::size_t kSize, T (*kDecode)(const std::uint8_t*)>
class WireList {
 public:
  WireList() = default;
  explicit WireList(std::span<const std::uint8_t> d) : data_(d) {}
  std::size_t size() const { return data_.size() / kSize; }
  bool empty() const { return data_.empty(); }
  T operator[](std::size_t i) const { return kDecode(data_.data() + i * kSize); }

 private:
  std::span<const std::uint8_t> data_;
};

ReportBlock decode_report_block(const std::uint8_t* p);
inline std::uint32_t decode_ssrc(const std::uint8_t* p) { return load_u32(p); }

using ReportBlocks = WireList<ReportBlock, 24, decode_report_block>;
using SsrcList = WireList<std::uint32_t, 4, decode_ssrc>;

struct SenderInfo {
  std::uint32_t ssrc = 0;
  std::uint64_t ntp_time = 0;  // 32.32 fixed point seconds since 1900
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packet_count = 0;
  std::uint32_t octet_count = 0;
};

struct SenderReport {
  SenderInfo info;
  ReportBlocks blocks;
};

struct ReceiverReport {
  std::uint32_t ssrc = 0;
  ReportBlocks blocks;
};

struct SdesItem {
  std::uint32_t ssrc = 0;
  std::uint8_t type = 0;  // kSdesCname, ...
  std::string_view text;
};

struct Bye {
  SsrcList ssrcs;
  std::string_view reason;
};

base::Result<SenderReport> parse_sender_report(const PacketView& p);
base::Result<ReceiverReport> parse_receiver_report(const PacketView& p);
// Items go to `out` (cleared first; its capacity is reused).
base::Status parse_sdes(const PacketView& p, std::vector<SdesItem>& out);
base::Result<Bye> parse_bye(const PacketView& p);

// ---- feedback --------------------------------------------------------------

struct NackItem {
  std::uint16_t pid = 0;  // first lost packet
  std::uint16_t blp = 0;  // bit i set: pid + i + 1 lost too
};
NackItem decode_nack_item(const std::uint8_t* p);
using NackItems = WireList<NackItem, 4, decode_nack_item>;

struct Nack {
  std::uint32_t sender_ssrc = 0;
  std::uint32_t media_ssrc = 0;
  NackItems items;

  // Calls fn(seq) for each lost sequence number, in wire order.
  template <typename F>
  void for_each_lost(F&& fn) const {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const NackItem it = items[i];
      fn(it.pid);
      for (int b = 0; b < 16; ++b) {
        if (it.blp & (1u << b)) fn(static_cast<std::uint16_t>(it.pid + b + 1));
      }
    }
  }
};

struct Pli {
  std::uint32_t sender_ssrc = 0;
  std::uint32_t media_ssrc = 0;
};

struct FirEntry {
  std::uint32_t ssrc = 0;
  std::uint8_t sequence = 0;
};
FirEntry decode_fir_entry(const std::uint8_t* p);
using FirEntries = WireList<FirEntry, 8, decode_fir_entry>;

struct Fir {
  std::uint32_t sender_ssrc = 0;
  FirEntries entries;
};

struct Remb {
  std::uint32_t sender_ssrc = 0;
  std::uint64_t bitrate_bps = 0;
  SsrcList ssrcs;
};

// One packet's fate in transport-wide feedback.
struct TwccPacket {
  std::uint16_t sequence = 0;
  bool received = false;
  std::int32_t delta = 0;  // in 250 µs ticks, from the previous received packet
                           // (the first: from reference_time); 0 when not received
};

struct TransportFeedback {
  std::uint32_t sender_ssrc = 0;
  std::uint32_t media_ssrc = 0;
  std::uint16_t base_sequence = 0;
  std::uint16_t status_count = 0;
  std::int32_t reference_time = 0;  // 24-bit signed, in 64 ms units
  std::uint8_t feedback_count = 0;
  std::span<const std::uint8_t> chunks_and_deltas;

  // Decodes every packet's status into `out` (cleared first; capacity reused).
  base::Status packets(std::vector<TwccPacket>& out) const;
};

base::Result<Nack> parse_nack(const PacketView& p);
base::Result<Pli> parse_pli(const PacketView& p);
base::Result<Fir> parse_fir(const PacketView& p);
// REMB is PSFB FMT 15 with the "REMB" identifier; other AFB is an error here.
base::Result<Remb> parse_remb(const PacketView& p);
base::Result<TransportFeedback> parse_transport_feedback(const PacketView& p);

// ---- writing ---------------------------------------------------------------

// Appends packets to a caller's buffer, forming a compound. Each add_*
// returns false and writes nothing when the packet does not fit or its
// arguments cannot be encoded (too many blocks, delta out of range, ...).
class Writer {
 public:
  explicit Writer(std::span<std::uint8_t> out) : out_(out) {}

  bool add_sender_report(const SenderInfo& info, std::span<const ReportBlock> blocks = {});
  bool add_receiver_report(std::uint32_t ssrc, std::span<const ReportBlock> blocks = {});
  bool add_sdes_cname(std::uint32_t ssrc, std::string_view cname);
  bool add_bye(std::span<const std::uint32_t> ssrcs, std::string_view reason = {});
  // `lost` in increasing order (modulo 2^16); packed into PID/BLP pairs.
  bool add_nack(std::uint32_t sender_ssrc, std::uint32_t media_ssrc, std::span<const std::uint16_t> lost);
  bool add_pli(std::uint32_t sender_ssrc, std::uint32_t media_ssrc);
  bool add_fir(std::uint32_t sender_ssrc, std::span<const FirEntry> entries);
  bool add_remb(std::uint32_t sender_ssrc, std::uint64_t bitrate_bps, std::span<const std::uint32_t> ssrcs);
  // packets[i].sequence must be base_sequence + i; deltas must fit the wire
  // (0..255 ticks as one byte, else -32768..32767 as two).
  bool add_transport_feedback(std::uint32_t sender_ssrc, std::uint32_t media_ssrc, std::uint16_t base_sequence,
                              std::int32_t reference_time, std::uint8_t feedback_count,
                              std::span<const TwccPacket> packets);

  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> bytes() const { return out_.first(size_); }

 private:
  // Reserves a packet of `body` bytes (a multiple of 4) after the header;
  // nullptr when it does not fit.
  std::uint8_t* begin_packet(Type type, std::uint8_t count, std::size_t body);

  std::span<std::uint8_t> out_;
  std::size_t size_ = 0;
};

}  // namespace parley::rtc::rtcp
