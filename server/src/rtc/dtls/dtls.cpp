#include "rtc/dtls/dtls.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace parley::rtc::dtls {

namespace {

using base::Result;
using base::Status;

// Our MTU for handshake flights: fits any path WebRTC runs on (RFC 8261
// section 5 suggests 1200 bytes for the SCTP on top; DTLS records fit).
constexpr long kMtu = 1200;
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 section 4.2

std::string openssl_error(std::string_view what) {
  std::string out(what);
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

std::string hex_pairs(const unsigned char* p, unsigned int n) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s;
  s.reserve(n * 3);
  for (unsigned int i = 0; i < n; ++i) {
    if (i) s += ':';
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 15];
  }
  return s;
}

std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return {};
  return hex_pairs(md, n);
}

// The peer's certificate is self-signed: accept it here and check its
// fingerprint against the SDP's once the handshake completes.
int accept_any_certificate(int, X509_STORE_CTX*) { return 1; }

const char* profile_name(SrtpProfile p) {
  return p == SrtpProfile::AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

}  // namespace

std::string_view to_string(SrtpProfile p) { return profile_name(p); }
std::size_t master_key_size(SrtpProfile) { return 16; }
std::size_t master_salt_size(SrtpProfile p) { return p == SrtpProfile::AeadAes128Gcm ? 12 : 14; }

// ---- Context ---------------------------------------------------------------

struct Context::Impl {
  unsigned int initial_retransmit_us = 1000000;
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  SSL_CTX* ctx = nullptr;
  ~Impl() {
    SSL_CTX_free(ctx);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

Context::Context() : impl_(std::make_unique<Impl>()) {}
Context::~Context() = default;

Result<std::shared_ptr<const Context>> Context::create(const Options& o) {
  if (o.profiles.empty()) return Status::internal("dtls: no SRTP profile");
  std::shared_ptr<Context> c(new Context());
  Impl& i = *c->impl_;
  if (o.initial_retransmit.count() <= 0 || o.initial_retransmit.count() > 60000) {
    return Status::internal("dtls: initial retransmission timeout outside (0, 60 s]");
  }
  i.initial_retransmit_us = static_cast<unsigned int>(o.initial_retransmit.count()) * 1000u;
  ERR_clear_error();
  i.key = EVP_EC_gen("P-256");
  if (i.key == nullptr) return Status::internal(openssl_error("dtls: EC key generation failed"));
  i.cert = X509_new();
  if (i.cert == nullptr) return Status::internal(openssl_error("dtls: X509_new"));
  std::uint64_t serial = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial);
  serial &= 0x7FFFFFFFFFFFFFFFull;  // a positive INTEGER
  X509_NAME* name = X509_get_subject_name(i.cert);
  if (X509_set_version(i.cert, 2) != 1 || ASN1_INTEGER_set_uint64(X509_get_serialNumber(i.cert), serial) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(i.cert), -24 * 3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(i.cert), static_cast<long>(o.valid_days) * 24 * 3600) == nullptr ||
      X509_set_pubkey(i.cert, i.key) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(o.common_name.c_str()), -1, -1, 0) != 1 ||
      X509_set_issuer_name(i.cert, name) != 1 || X509_sign(i.cert, i.key, EVP_sha256()) == 0) {
    return Status::internal(openssl_error("dtls: building the certificate failed"));
  }
  c->fingerprint_ = sha256_fingerprint(i.cert);

  i.ctx = SSL_CTX_new(DTLS_method());
  if (i.ctx == nullptr) return Status::internal(openssl_error("dtls: SSL_CTX_new"));
  std::string profiles;
  for (SrtpProfile p : o.profiles) profiles += std::string(profiles.empty() ? "" : ":") + profile_name(p);
  if (SSL_CTX_use_certificate(i.ctx, i.cert) != 1 || SSL_CTX_use_PrivateKey(i.ctx, i.key) != 1 ||
      SSL_CTX_check_private_key(i.ctx) != 1 || SSL_CTX_set_min_proto_version(i.ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(i.ctx,
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA") != 1 ||
      SSL_CTX_set1_groups_list(i.ctx, "X25519:P-256") != 1 ||
      // Returns 0 on success (sic).
      SSL_CTX_set_tlsext_use_srtp(i.ctx, profiles.c_str()) != 0) {
    return Status::internal(openssl_error("dtls: configuring the SSL_CTX failed"));
  }
  SSL_CTX_set_verify(i.ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_certificate);
  SSL_CTX_set_read_ahead(i.ctx, 1);
  SSL_CTX_set_session_cache_mode(i.ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(i.ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
  return std::shared_ptr<const Context>(std::move(c));
}

// ---- Transport -------------------------------------------------------------

struct Transport::Impl {
  unsigned int initial_retransmit_us = 1000000;
  SSL* ssl = nullptr;
  BIO* rbio = nullptr;  // memory BIO: receive() writes datagrams into it
  Transport* owner = nullptr;
  ~Impl() { SSL_free(ssl); }  // frees both BIOs

  // The write side is a BIO whose every write is one datagram handed to the
  // listener: OpenSSL writes each DTLS datagram with one BIO_write, so
  // boundaries survive (a memory BIO would concatenate a whole flight).
  static BIO_METHOD* write_method() {
    static BIO_METHOD* method = [] {
      BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "parley-dtls-out");
      BIO_meth_set_write(m, &Impl::bio_write);
      BIO_meth_set_ctrl(m, &Impl::bio_ctrl);
      BIO_meth_set_create(m, [](BIO* b) {
        BIO_set_init(b, 1);
        return 1;
      });
      return m;
    }();
    return method;
  }
  static int bio_write(BIO* b, const char* data, int len) {
    auto* self = static_cast<Impl*>(BIO_get_data(b));
    if (self == nullptr || self->owner == nullptr || len < 0) return -1;
    self->owner->listener_.on_dtls_send({reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(len)});
    return len;
  }
  // Handshake retransmission: the configured first timeout, then doubling
  // up to 60 s (OpenSSL's own policy, with our start value).
  static unsigned int timer(SSL* ssl, unsigned int previous_us) {
    auto* self = static_cast<Impl*>(SSL_get_app_data(ssl));
    if (previous_us == 0) return self->initial_retransmit_us;
    return std::min(previous_us * 2, 60000000u);
  }
  static long bio_ctrl(BIO*, int cmd, long, void*) {
    switch (cmd) {
      case BIO_CTRL_FLUSH: return 1;
      case BIO_CTRL_DGRAM_QUERY_MTU: return kMtu;
      default: return 0;
    }
  }
};

Transport::Transport(std::shared_ptr<const Context> context, Listener& listener)
    : context_(std::move(context)), listener_(listener), impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
  impl_->ssl = SSL_new(context_->impl().ctx);
  impl_->rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(Impl::write_method());
  if (impl_->ssl == nullptr || impl_->rbio == nullptr || wbio == nullptr) {
    BIO_free(impl_->rbio);
    BIO_free(wbio);
    impl_->rbio = nullptr;
    state_ = State::Failed;
    error_ = openssl_error("dtls: creating the SSL object failed");
    return;
  }
  BIO_set_mem_eof_return(impl_->rbio, -1);  // empty means "want read", not EOF
  BIO_set_data(wbio, impl_.get());
  SSL_set_bio(impl_->ssl, impl_->rbio, wbio);
  SSL_set_mtu(impl_->ssl, kMtu);
  impl_->initial_retransmit_us = context_->impl().initial_retransmit_us;
  SSL_set_app_data(impl_->ssl, impl_.get());
  DTLS_set_timer_cb(impl_->ssl, &Impl::timer);
}

Transport::~Transport() = default;

Status Transport::set_remote_fingerprint(std::string_view algorithm, std::string_view value) {
  std::string alg(algorithm);
  std::transform(alg.begin(), alg.end(), alg.begin(), [](unsigned char c) { return std::tolower(c); });
  if (alg != "sha-256") return Status::bad_request("dtls: only sha-256 fingerprints are accepted");
  if (value.size() != 32 * 3 - 1) return Status::bad_request("dtls: a sha-256 fingerprint has 32 bytes");
  remote_fingerprint_.assign(value);
  std::transform(remote_fingerprint_.begin(), remote_fingerprint_.end(), remote_fingerprint_.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return Status::ok();
}

void Transport::set_state(State s) {
  if (state_ == s) return;
  state_ = s;
  listener_.on_dtls_state(s);
}

void Transport::fail(std::string why) {
  if (state_ == State::Failed || state_ == State::Closed) return;
  error_ = std::move(why);
  set_state(State::Failed);
}

void Transport::start(Role role) {
  if (state_ != State::New) return;
  role_ = role;
  if (remote_fingerprint_.empty()) {
    fail("dtls: no remote fingerprint");
    return;
  }
  if (role == Role::Client) {
    SSL_set_connect_state(impl_->ssl);
  } else {
    SSL_set_accept_state(impl_->ssl);
  }
  set_state(State::Connecting);
  drive();
}

void Transport::receive(std::span<const std::uint8_t> datagram) {
  if (state_ != State::Connecting && state_ != State::Connected) return;
  if (datagram.empty() || datagram.size() > 0xFFFF) return;
  // Keep at most one datagram queued: a flood cannot grow the buffer.
  BIO_reset(impl_->rbio);
  if (BIO_write(impl_->rbio, datagram.data(), static_cast<int>(datagram.size())) != static_cast<int>(datagram.size())) {
    return;
  }
  drive();
}

void Transport::drive() {
  SSL* ssl = impl_->ssl;
  if (state_ == State::Connecting) {
    ERR_clear_error();
    const int r = SSL_do_handshake(ssl);
    if (r == 1) {
      if (!finish_handshake()) return;
    } else {
      const int e = SSL_get_error(ssl, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) fail(openssl_error("dtls: handshake failed"));
      return;
    }
  }
  if (state_ != State::Connected) return;
  std::array<std::uint8_t, 2048> buf;
  while (true) {
    ERR_clear_error();
    const int n = SSL_read(ssl, buf.data(), static_cast<int>(buf.size()));
    if (n > 0) {
      listener_.on_dtls_data({buf.data(), static_cast<std::size_t>(n)});
      if (state_ != State::Connected) return;
      continue;
    }
    const int e = SSL_get_error(ssl, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return;
    if (e == SSL_ERROR_ZERO_RETURN) {
      set_state(State::Closed);  // the peer sent close_notify
      return;
    }
    fail(openssl_error("dtls: read failed"));
    return;
  }
}

bool Transport::finish_handshake() {
  SSL* ssl = impl_->ssl;
  X509* peer = SSL_get1_peer_certificate(ssl);
  if (peer == nullptr) {
    fail("dtls: the peer sent no certificate");
    return false;
  }
  const std::string seen = sha256_fingerprint(peer);
  X509_free(peer);
  if (seen != remote_fingerprint_) {
    fail("dtls: the peer's certificate does not match its SDP fingerprint");
    return false;
  }
  const SRTP_PROTECTION_PROFILE* p = SSL_get_selected_srtp_profile(ssl);
  if (p == nullptr) {
    fail("dtls: no SRTP profile was negotiated");
    return false;
  }
  SrtpKeys keys;
  if (p->id == SRTP_AEAD_AES_128_GCM) {
    keys.profile = SrtpProfile::AeadAes128Gcm;
  } else if (p->id == SRTP_AES128_CM_SHA1_80) {
    keys.profile = SrtpProfile::AesCm128HmacSha1Tag80;
  } else {
    fail("dtls: unsupported SRTP profile");
    return false;
  }
  const std::size_t k = master_key_size(keys.profile);
  const std::size_t s = master_salt_size(keys.profile);
  // client key | server key | client salt | server salt
  std::array<std::uint8_t, 2 * (16 + 14)> m{};
  if (SSL_export_keying_material(ssl, m.data(), 2 * (k + s), kExporterLabel, sizeof kExporterLabel - 1, nullptr, 0,
                                 0) != 1) {
    fail(openssl_error("dtls: exporting SRTP keys failed"));
    return false;
  }
  std::vector<std::uint8_t> client(m.begin(), m.begin() + k);
  client.insert(client.end(), m.begin() + 2 * k, m.begin() + 2 * k + s);
  std::vector<std::uint8_t> server(m.begin() + k, m.begin() + 2 * k);
  server.insert(server.end(), m.begin() + 2 * k + s, m.begin() + 2 * k + 2 * s);
  OPENSSL_cleanse(m.data(), m.size());
  if (role_ == Role::Client) {
    keys.local = std::move(client);
    keys.remote = std::move(server);
  } else {
    keys.local = std::move(server);
    keys.remote = std::move(client);
  }
  listener_.on_dtls_srtp_keys(keys);
  OPENSSL_cleanse(keys.local.data(), keys.local.size());
  OPENSSL_cleanse(keys.remote.data(), keys.remote.size());
  set_state(State::Connected);
  return state_ == State::Connected;
}

std::optional<std::chrono::milliseconds> Transport::timeout() const {
  if (state_ != State::Connecting) return std::nullopt;
  timeval tv{};
  if (DTLSv1_get_timeout(impl_->ssl, &tv) != 1) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000);
}

void Transport::on_timeout() {
  if (state_ != State::Connecting) return;
  ERR_clear_error();
  if (DTLSv1_handle_timeout(impl_->ssl) < 0) fail(openssl_error("dtls: handshake timed out"));
}

bool Transport::send(std::span<const std::uint8_t> data) {
  if (state_ != State::Connected || data.empty() || data.size() > 0x4000) return false;
  ERR_clear_error();
  return SSL_write(impl_->ssl, data.data(), static_cast<int>(data.size())) == static_cast<int>(data.size());
}

void Transport::close() {
  if (state_ == State::Connected) {
    ERR_clear_error();
    SSL_shutdown(impl_->ssl);
  }
  if (state_ != State::Failed) set_state(State::Closed);
}

}  // namespace parley::rtc::dtls
