#include "turn/ice_servers.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <initializer_list>
#include <string>

namespace parley::turn {

namespace {

bool starts_with_any(std::string_view url, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (url.substr(0, p.size()) == p) return true;
  }
  return false;
}

}  // namespace

std::string hmac_sha1_base64(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // HMAC() is the one-shot form; it cannot fail for SHA-1 with in-memory inputs.
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  std::string out(4 * ((mac_len + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(mac_len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Credential make_credential(std::string_view secret, std::string_view user_id, std::int64_t now_s, int ttl_s) {
  Credential c;
  c.expires_at_s = now_s + ttl_s;
  c.username = std::to_string(c.expires_at_s);
  c.username += ':';
  c.username += user_id;
  c.password = hmac_sha1_base64(secret, c.username);
  return c;
}

std::vector<IceServer> ice_servers(const TurnOptions& options, std::string_view user_id,
                                   const base::Clock& clock) {
  IceServer stun;
  IceServer relay;
  for (const auto& u : options.stun_urls) stun.urls.push_back(u);
  for (const auto& u : options.urls) {
    (starts_with_any(u, {"turn:", "turns:"}) ? relay : stun).urls.push_back(u);
  }
  std::vector<IceServer> out;
  if (!stun.urls.empty()) out.push_back(std::move(stun));
  if (!relay.urls.empty()) {
    auto cred = make_credential(options.secret, user_id, clock.now_s(), options.ttl_s);
    relay.username = std::move(cred.username);
    relay.credential = std::move(cred.password);
    relay.expires_at_ms = cred.expires_at_s * 1000;
    out.push_back(std::move(relay));
  }
  return out;
}

}  // namespace parley::turn
