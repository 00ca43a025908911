#include "rtc/stun/stun.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cassert>
#include <cstring>
#include <string>

#include "rtc/bytes.hpp"

namespace parley::rtc::stun {

namespace {

using base::Result;
using base::Status;

constexpr std::size_t kMaxUsername = 513;  // RFC 8489 section 14.3
constexpr std::size_t kMaxReason = 763;    // section 14.8
constexpr std::size_t kSha1Size = 20;

// Table-driven CRC-32 (reflected polynomial 0xEDB88320), built at compile time.
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();

Status bad(std::string m) { return Status::bad_request("stun: " + std::move(m)); }

// Method bits M0..M11 and class bits C0, C1 interleave in the 14-bit type
// (RFC 8489 section 5): M11..M7 C1 M6..M4 C0 M3..M0.
std::uint16_t encode_type(std::uint16_t method, Class cls) {
  const auto c = static_cast<std::uint16_t>(cls);
  return static_cast<std::uint16_t>((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
                                    ((c & 1) << 4) | ((c & 2) << 7));
}

// Checks a known attribute's value; unknown ones pass.
Status check_attribute(std::uint16_t type, std::span<const std::uint8_t> v) {
  switch (type) {
    case attr::kUsername:
      if (v.size() > kMaxUsername) return bad("USERNAME longer than 513 bytes");
      return Status::ok();
    case attr::kMessageIntegrity:
      if (v.size() != kSha1Size) return bad("MESSAGE-INTEGRITY is not 20 bytes");
      return Status::ok();
    case attr::kMessageIntegritySha256:
      if (v.size() < 16 || v.size() > 32 || v.size() % 4 != 0)
        return bad("MESSAGE-INTEGRITY-SHA256 must be 16..32 bytes, a multiple of 4");
      return Status::ok();
    case attr::kFingerprint:
      if (v.size() != 4) return bad("FINGERPRINT is not 4 bytes");
      return Status::ok();
    case attr::kPriority:
      if (v.size() != 4) return bad("PRIORITY is not 4 bytes");
      return Status::ok();
    case attr::kUseCandidate:
      if (!v.empty()) return bad("USE-CANDIDATE carries a value");
      return Status::ok();
    case attr::kIceControlled:
    case attr::kIceControlling:
      if (v.size() != 8) return bad("ICE-CONTROLLED/CONTROLLING is not 8 bytes");
      return Status::ok();
    case attr::kMappedAddress:
    case attr::kXorMappedAddress:
      if (v.size() == 8 && v[1] == 1) return Status::ok();
      if (v.size() == 20 && v[1] == 2) return Status::ok();
      return bad("address attribute with a bad family or length");
    case attr::kErrorCode: {
      if (v.size() < 4) return bad("ERROR-CODE shorter than 4 bytes");
      if (v.size() - 4 > kMaxReason) return bad("ERROR-CODE reason longer than 763 bytes");
      const int cls = v[2] & 0x07;
      if (cls < 3 || cls > 6 || v[3] > 99) return bad("ERROR-CODE outside 300..699");
      return Status::ok();
    }
    case attr::kUnknownAttributes:
      if (v.size() % 2 != 0) return bad("UNKNOWN-ATTRIBUTES has an odd length");
      return Status::ok();
    default:
      return Status::ok();
  }
}

bool known_type(std::uint16_t type) {
  switch (type) {
    case attr::kMappedAddress:
    case attr::kUsername:
    case attr::kMessageIntegrity:
    case attr::kErrorCode:
    case attr::kUnknownAttributes:
    case attr::kRealm:
    case attr::kNonce:
    case attr::kMessageIntegritySha256:
    case attr::kXorMappedAddress:
    case attr::kPriority:
    case attr::kUseCandidate:
      return true;
    default:
      return false;
  }
}

SocketAddress read_address(std::span<const std::uint8_t> v, const std::uint8_t* xor_key) {
  SocketAddress a;
  a.family = v[1] == 1 ? SocketAddress::Family::V4 : SocketAddress::Family::V6;
  a.port = load_u16(v.data() + 2);
  const std::size_t n = a.ip_size();
  std::memcpy(a.ip.data(), v.data() + 4, n);
  if (xor_key != nullptr) {
    a.port ^= static_cast<std::uint16_t>(kMagicCookie >> 16);
    for (std::size_t i = 0; i < n; ++i) a.ip[i] ^= xor_key[i];
  }
  return a;
}

// HMAC (SHA-1 or SHA-256) over header-with-patched-length + body.
// Returns the full digest size written to `out` (20 or 32), 0 on failure.
std::size_t hmac(bool sha256, std::span<const std::uint8_t> key, std::span<const std::uint8_t> header,
                 std::span<const std::uint8_t> body, std::uint8_t* out) {
  // HMAC_CTX is deprecated in OpenSSL 3; EVP_MAC is its replacement. The
  // fetched algorithm is shared (EVP_MAC objects are thread-safe to use).
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return 0;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  if (ctx == nullptr) return 0;
  char digest[] = "SHA1";
  char digest256[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha256 ? digest256 : digest, 0),
      OSSL_PARAM_construct_end()};
  std::size_t len = 0;
  // An empty key is legal in HMAC; OpenSSL wants a non-null pointer for it.
  static const std::uint8_t kEmpty = 0;
  const bool ok = EVP_MAC_init(ctx, key.empty() ? &kEmpty : key.data(), key.size(), params) == 1 &&
                  EVP_MAC_update(ctx, header.data(), header.size()) == 1 &&
                  EVP_MAC_update(ctx, body.data(), body.size()) == 1 &&
                  EVP_MAC_final(ctx, out, &len, 32) == 1;
  EVP_MAC_CTX_free(ctx);
  return ok ? len : 0;
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : data) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool is_stun(std::span<const std::uint8_t> d) {
  return d.size() >= kHeaderSize && (d[0] & 0xC0) == 0 && (d[3] & 0x03) == 0 &&
         load_u32(d.data() + 4) == kMagicCookie;
}

std::size_t message_size(std::span<const std::uint8_t> header) {
  if (header.size() < kHeaderSize) return 0;
  return kHeaderSize + load_u16(header.data() + 2);
}

Result<Message> Message::parse(std::span<const std::uint8_t> d) {
  if (d.size() < kHeaderSize) return bad("shorter than the 20-byte header");
  if ((d[0] & 0xC0) != 0) return bad("the two top bits are not zero");
  if (load_u32(d.data() + 4) != kMagicCookie) return bad("no magic cookie");
  const std::size_t length = load_u16(d.data() + 2);
  if (length % 4 != 0) return bad("length is not a multiple of 4");
  if (kHeaderSize + length != d.size()) return bad("length field does not match the datagram");

  Message m;
  m.data_ = d;
  const std::uint16_t type = load_u16(d.data());
  m.method_ = static_cast<std::uint16_t>((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
  m.class_ = static_cast<Class>(((type >> 4) & 1) | ((type >> 7) & 2));

  std::size_t pos = kHeaderSize;
  while (pos < d.size()) {
    if (d.size() - pos < 4) return bad("truncated attribute header");
    const std::uint16_t at = load_u16(d.data() + pos);
    const std::uint16_t alen = load_u16(d.data() + pos + 2);
    const std::size_t value_at = pos + 4;
    if (alen > d.size() - value_at) return bad("attribute overruns the message");
    const std::size_t padded = alen + pad4(alen);
    if (padded > d.size() - value_at) return bad("attribute padding overruns the message");
    if (m.fingerprint_ >= 0) return bad("attribute after FINGERPRINT");

    // After MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT
    // count; after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT.
    bool ignored = false;
    if (m.integrity_sha256_ >= 0 && at != attr::kFingerprint) ignored = true;
    if (m.integrity_ >= 0 && at != attr::kFingerprint && at != attr::kMessageIntegritySha256) ignored = true;
    if (!ignored) {
      std::span<const std::uint8_t> value = d.subspan(value_at, alen);
      PARLEY_RETURN_IF_ERROR(check_attribute(at, value));
      if (m.count_ == kMaxAttributes) return bad("too many attributes");
      const auto index = static_cast<std::int8_t>(m.count_);
      m.attrs_[m.count_++] = Attribute{at, alen, static_cast<std::uint16_t>(value_at)};
      if (at == attr::kMessageIntegrity && m.integrity_ < 0) m.integrity_ = index;
      if (at == attr::kMessageIntegritySha256 && m.integrity_sha256_ < 0) m.integrity_sha256_ = index;
      if (at == attr::kFingerprint) m.fingerprint_ = index;
      if (at < 0x8000 && !known_type(at) && m.unknown_count_ < m.unknown_.size()) {
        m.unknown_[m.unknown_count_++] = at;
      }
    }
    pos = value_at + padded;
  }
  return m;
}

TransactionId Message::transaction_id() const {
  TransactionId t;
  std::memcpy(t.data(), data_.data() + 8, t.size());
  return t;
}

std::optional<std::span<const std::uint8_t>> Message::find(std::uint16_t type) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (attrs_[i].type == type) return data_.subspan(attrs_[i].offset, attrs_[i].length);
  }
  return std::nullopt;
}

std::optional<std::string_view> Message::text(std::uint16_t type) const {
  auto v = find(type);
  if (!v) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(v->data()), v->size());
}

std::optional<std::uint32_t> Message::priority() const {
  auto v = find(attr::kPriority);
  if (!v) return std::nullopt;
  return load_u32(v->data());
}

std::optional<std::uint64_t> Message::ice_controlling() const {
  auto v = find(attr::kIceControlling);
  if (!v) return std::nullopt;
  return load_u64(v->data());
}

std::optional<std::uint64_t> Message::ice_controlled() const {
  auto v = find(attr::kIceControlled);
  if (!v) return std::nullopt;
  return load_u64(v->data());
}

std::optional<SocketAddress> Message::xor_mapped_address() const {
  auto v = find(attr::kXorMappedAddress);
  if (!v) return std::nullopt;
  // The xor key is the magic cookie followed by the transaction id: exactly
  // bytes 4..19 of the header.
  return read_address(*v, data_.data() + 4);
}

std::optional<SocketAddress> Message::mapped_address() const {
  auto v = find(attr::kMappedAddress);
  if (!v) return std::nullopt;
  return read_address(*v, nullptr);
}

std::optional<ErrorCode> Message::error_code() const {
  auto v = find(attr::kErrorCode);
  if (!v) return std::nullopt;
  ErrorCode e;
  e.code = static_cast<std::uint16_t>(((*v)[2] & 0x07) * 100 + (*v)[3]);
  e.reason = std::string_view(reinterpret_cast<const char*>(v->data() + 4), v->size() - 4);
  return e;
}

bool Message::verify_hmac(int index, bool sha256, std::span<const std::uint8_t> key) const {
  if (index < 0) return false;
  const Attribute& a = attrs_[static_cast<std::size_t>(index)];
  const std::size_t attr_start = a.offset - 4u;
  // The length field counts up to the end of this attribute.
  std::array<std::uint8_t, kHeaderSize> header;
  std::memcpy(header.data(), data_.data(), kHeaderSize);
  store_u16(header.data() + 2, static_cast<std::uint16_t>(a.offset + a.length - kHeaderSize));
  std::array<std::uint8_t, 32> digest{};
  const std::size_t n = hmac(sha256, key, header, data_.subspan(kHeaderSize, attr_start - kHeaderSize), digest.data());
  if (n == 0) return false;
  // MESSAGE-INTEGRITY-SHA256 may be truncated to a.length bytes (>= 16).
  if (a.length > n) return false;
  return CRYPTO_memcmp(digest.data(), data_.data() + a.offset, a.length) == 0;
}

bool Message::verify_message_integrity(std::span<const std::uint8_t> key) const {
  return verify_hmac(integrity_, false, key);
}

bool Message::verify_message_integrity(std::string_view key) const {
  return verify_message_integrity(as_bytes(key));
}

bool Message::verify_message_integrity_sha256(std::span<const std::uint8_t> key) const {
  return verify_hmac(integrity_sha256_, true, key);
}

bool Message::verify_fingerprint() const {
  if (fingerprint_ < 0) return false;
  const Attribute& a = attrs_[static_cast<std::size_t>(fingerprint_)];
  const std::uint32_t expected = crc32(data_.first(a.offset - 4u)) ^ kFingerprintXor;
  return load_u32(data_.data() + a.offset) == expected;
}

// ---------------------------------------------------------------------------

MessageBuilder::MessageBuilder(std::uint16_t method, Class cls, const TransactionId& tid) {
  out_.reserve(128);
  out_.resize(kHeaderSize);
  store_u16(out_.data(), encode_type(method, cls));
  store_u16(out_.data() + 2, 0);
  store_u32(out_.data() + 4, kMagicCookie);
  std::memcpy(out_.data() + 8, tid.data(), tid.size());
}

void MessageBuilder::set_length(std::size_t body) { store_u16(out_.data() + 2, static_cast<std::uint16_t>(body)); }

std::uint8_t* MessageBuilder::append_header(std::uint16_t type, std::size_t length) {
  assert(length <= 0xFFFF);
  const std::size_t at = out_.size();
  out_.resize(at + 4 + length + pad4(length), padding_);
  store_u16(out_.data() + at, type);
  store_u16(out_.data() + at + 2, static_cast<std::uint16_t>(length));
  set_length(out_.size() - kHeaderSize);
  return out_.data() + at + 4;
}

MessageBuilder& MessageBuilder::add(std::uint16_t type, std::span<const std::uint8_t> value) {
  std::uint8_t* p = append_header(type, value.size());
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  return *this;
}

MessageBuilder& MessageBuilder::add(std::uint16_t type, std::string_view value) { return add(type, as_bytes(value)); }

MessageBuilder& MessageBuilder::add_priority(std::uint32_t priority) {
  store_u32(append_header(attr::kPriority, 4), priority);
  return *this;
}

MessageBuilder& MessageBuilder::add_use_candidate() {
  append_header(attr::kUseCandidate, 0);
  return *this;
}

MessageBuilder& MessageBuilder::add_ice_controlling(std::uint64_t tie_breaker) {
  store_u64(append_header(attr::kIceControlling, 8), tie_breaker);
  return *this;
}

MessageBuilder& MessageBuilder::add_ice_controlled(std::uint64_t tie_breaker) {
  store_u64(append_header(attr::kIceControlled, 8), tie_breaker);
  return *this;
}

std::vector<std::uint8_t> xor_address_value(const SocketAddress& a, const TransactionId& tid) {
  std::vector<std::uint8_t> v(4 + a.ip_size());
  v[0] = 0;
  v[1] = static_cast<std::uint8_t>(a.family);
  store_u16(v.data() + 2, static_cast<std::uint16_t>(a.port ^ (kMagicCookie >> 16)));
  std::array<std::uint8_t, 16> key{};
  store_u32(key.data(), kMagicCookie);
  std::memcpy(key.data() + 4, tid.data(), tid.size());
  for (std::size_t i = 0; i < a.ip_size(); ++i) v[4 + i] = a.ip[i] ^ key[i];
  return v;
}

MessageBuilder& MessageBuilder::add_xor_mapped_address(const SocketAddress& address) {
  TransactionId tid;
  std::memcpy(tid.data(), out_.data() + 8, tid.size());
  return add(attr::kXorMappedAddress, xor_address_value(address, tid));
}

MessageBuilder& MessageBuilder::add_error_code(std::uint16_t code, std::string_view reason) {
  assert(code >= 300 && code <= 699);
  if (reason.size() > kMaxReason) reason = reason.substr(0, kMaxReason);
  std::uint8_t* p = append_header(attr::kErrorCode, 4 + reason.size());
  p[0] = 0;
  p[1] = 0;
  p[2] = static_cast<std::uint8_t>(code / 100);
  p[3] = static_cast<std::uint8_t>(code % 100);
  if (!reason.empty()) std::memcpy(p + 4, reason.data(), reason.size());
  return *this;
}

MessageBuilder& MessageBuilder::add_unknown_attributes(std::span<const std::uint16_t> types) {
  std::uint8_t* p = append_header(attr::kUnknownAttributes, types.size() * 2);
  for (std::size_t i = 0; i < types.size(); ++i) store_u16(p + 2 * i, types[i]);
  return *this;
}

MessageBuilder& MessageBuilder::add_message_integrity(std::span<const std::uint8_t> key) {
  const std::size_t covered = out_.size();
  append_header(attr::kMessageIntegrity, kSha1Size);  // sets the length to include it
  std::array<std::uint8_t, 32> digest{};
  std::span<const std::uint8_t> all(out_.data(), covered);
  hmac(false, key, all.first(kHeaderSize), all.subspan(kHeaderSize), digest.data());
  std::memcpy(out_.data() + covered + 4, digest.data(), kSha1Size);
  return *this;
}

MessageBuilder& MessageBuilder::add_message_integrity(std::string_view key) {
  return add_message_integrity(as_bytes(key));
}

MessageBuilder& MessageBuilder::add_message_integrity_sha256(std::span<const std::uint8_t> key) {
  const std::size_t covered = out_.size();
  append_header(attr::kMessageIntegritySha256, 32);
  std::array<std::uint8_t, 32> digest{};
  std::span<const std::uint8_t> all(out_.data(), covered);
  hmac(true, key, all.first(kHeaderSize), all.subspan(kHeaderSize), digest.data());
  std::memcpy(out_.data() + covered + 4, digest.data(), 32);
  return *this;
}

MessageBuilder& MessageBuilder::add_fingerprint() {
  const std::size_t covered = out_.size();
  std::uint8_t* p = append_header(attr::kFingerprint, 4);
  store_u32(p, crc32(std::span<const std::uint8_t>(out_.data(), covered)) ^ kFingerprintXor);
  return *this;
}

std::array<std::uint8_t, 16> long_term_key(std::string_view username, std::string_view realm,
                                           std::string_view password) {
  std::string input;
  input.reserve(username.size() + realm.size() + password.size() + 2);
  input.append(username).append(":").append(realm).append(":").append(password);
  std::array<std::uint8_t, 16> key{};
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), key.data(), &len, EVP_md5(), nullptr);
  return key;
}

}  // namespace parley::rtc::stun
