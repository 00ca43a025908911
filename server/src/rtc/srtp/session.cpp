#include "rtc/srtp/session.hpp"

#include <srtp2/srtp.h>

#include <cstring>
#include <string>

namespace parley::rtc::srtp {

namespace {

using base::Result;
using base::Status;

// libsrtp must be initialised once per process before any session exists;
// it is never shut down (sessions may live until exit).
bool init_library() {
  static const bool ok = srtp_init() == srtp_err_status_ok;
  return ok;
}

Status error(const char* what, srtp_err_status_t e) {
  switch (e) {
    case srtp_err_status_auth_fail: return Status::bad_request(std::string("srtp: ") + what + ": authentication failed");
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return Status::bad_request(std::string("srtp: ") + what + ": replayed packet");
    default: return Status::bad_request(std::string("srtp: ") + what + " failed (libsrtp error " + std::to_string(e) + ")");
  }
}

}  // namespace

struct Session::Impl {
  srtp_t session = nullptr;
  ~Impl() {
    if (session != nullptr) srtp_dealloc(session);
  }
};

Session::Session(dtls::SrtpProfile profile, Direction direction)
    : profile_(profile), direction_(direction), impl_(std::make_unique<Impl>()) {}

Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::create(dtls::SrtpProfile profile, Direction direction,
                                                 std::span<const std::uint8_t> key_salt) {
  if (!init_library()) return Status::internal("srtp: srtp_init failed");
  const std::size_t need = dtls::master_key_size(profile) + dtls::master_salt_size(profile);
  if (key_salt.size() != need) return Status::internal("srtp: key and salt have the wrong size");
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  if (profile == dtls::SrtpProfile::AeadAes128Gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  }
  policy.ssrc.type = direction == Direction::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.ssrc.value = 0;
  // libsrtp keeps a copy of the key in the session; the policy's pointer
  // is read during srtp_create only.
  unsigned char key[16 + 14];
  std::memcpy(key, key_salt.data(), key_salt.size());
  policy.key = key;
  // Reordering on the Internet exceeds the default 128 packets for video.
  policy.window_size = 1024;
  // The SFU resends a packet with the same sequence number (NACK answered
  // without RTX); libsrtp must allow it on the outbound side.
  policy.allow_repeat_tx = 1;
  policy.next = nullptr;
  std::unique_ptr<Session> s(new Session(profile, direction));
  const srtp_err_status_t e = srtp_create(&s->impl_->session, &policy);
  std::memset(key, 0, sizeof key);
  if (e != srtp_err_status_ok) {
    s->impl_->session = nullptr;
    return Status::internal("srtp: srtp_create failed (libsrtp error " + std::to_string(e) + ")");
  }
  return s;
}

Result<std::size_t> Session::protect_rtp(std::span<std::uint8_t> buffer, std::size_t size) {
  if (direction_ != Direction::Outbound) return Status::internal("srtp: protect on an inbound session");
  if (size < 12 || size > buffer.size() || buffer.size() - size < kMaxTrailer) {
    return Status::bad_request("srtp: no room to protect the RTP packet");
  }
  int len = static_cast<int>(size);
  const srtp_err_status_t e = srtp_protect(impl_->session, buffer.data(), &len);
  if (e != srtp_err_status_ok) return error("protect", e);
  return static_cast<std::size_t>(len);
}

Result<std::size_t> Session::unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t size) {
  if (direction_ != Direction::Inbound) return Status::internal("srtp: unprotect on an outbound session");
  if (size < 12 || size > buffer.size()) return Status::bad_request("srtp: RTP packet too short");
  int len = static_cast<int>(size);
  const srtp_err_status_t e = srtp_unprotect(impl_->session, buffer.data(), &len);
  if (e != srtp_err_status_ok) return error("unprotect", e);
  return static_cast<std::size_t>(len);
}

Result<std::size_t> Session::protect_rtcp(std::span<std::uint8_t> buffer, std::size_t size) {
  if (direction_ != Direction::Outbound) return Status::internal("srtp: protect on an inbound session");
  if (size < 8 || size > buffer.size() || buffer.size() - size < kMaxTrailer) {
    return Status::bad_request("srtp: no room to protect the RTCP packet");
  }
  int len = static_cast<int>(size);
  const srtp_err_status_t e = srtp_protect_rtcp(impl_->session, buffer.data(), &len);
  if (e != srtp_err_status_ok) return error("protect_rtcp", e);
  return static_cast<std::size_t>(len);
}

Result<std::size_t> Session::unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t size) {
  if (direction_ != Direction::Inbound) return Status::internal("srtp: unprotect on an outbound session");
  if (size < 8 || size > buffer.size()) return Status::bad_request("srtp: RTCP packet too short");
  int len = static_cast<int>(size);
  const srtp_err_status_t e = srtp_unprotect_rtcp(impl_->session, buffer.data(), &len);
  if (e != srtp_err_status_ok) return error("unprotect_rtcp", e);
  return static_cast<std::size_t>(len);
}

}  // namespace parley::rtc::srtp
