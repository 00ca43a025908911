// ICE-TCP framing (RFC 6544 section 3, using RFC 4571): on a TCP
// connection every STUN, DTLS, RTP or RTCP message is preceded by its
// length as a 16-bit big-endian integer. The framer collects bytes as they
// arrive and yields whole messages; the writer prefixes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.hpp"

namespace parley::rtc::ice {

class TcpFramer {
 public:
  // Frames of zero bytes are legal in RFC 4571 but carry nothing here:
  // they are skipped.
  TcpFramer() { buffer_.reserve(2048); }

  // Appends bytes read from the connection, then calls fn(frame) for every
  // complete frame (the span is valid only during the call). Never fails:
  // any 16-bit length is a possible frame.
  template <typename F>
  void feed(std::span<const std::uint8_t> data, F&& fn) {
    buffer_.insert(buffer_.end(), data.begin(), data.end());
    std::size_t pos = 0;
    while (buffer_.size() - pos >= 2) {
      const std::size_t len = (std::size_t{buffer_[pos]} << 8) | buffer_[pos + 1];
      if (buffer_.size() - pos - 2 < len) break;
      if (len > 0) fn(std::span<const std::uint8_t>(buffer_.data() + pos + 2, len));
      pos += 2 + len;
    }
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos));
  }
  // Bytes of an incomplete frame held (at most 2 + 65535).
  std::size_t pending() const { return buffer_.size(); }

 private:
  std::vector<std::uint8_t> buffer_;
};

// `message` with its 2-byte length prefix, or an error above 65535 bytes.
base::Result<std::vector<std::uint8_t>> frame_for_tcp(std::span<const std::uint8_t> message);

}  // namespace parley::rtc::ice
