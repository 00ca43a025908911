// What a client puts in RTCPeerConnection's iceServers: STUN URLs, and TURN
// URLs with short-lived credentials that a coturn configured with
// `use-auth-secret` accepts without knowing Parley's users.
//
// The credential scheme is coturn's "TURN REST API" (the IETF draft
// draft-uberti-behave-turn-rest): with a secret shared between parleyd and
// coturn,
//   username   = "<expiry as Unix seconds>:<user id>"
//   credential = base64(HMAC-SHA1(secret, username))
// coturn recomputes the credential from the username and refuses it once
// the expiry has passed (401). Nothing is stored on either side.
//
// Pure functions of their inputs and the injected clock; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"

namespace parley::turn {

struct TurnOptions {
  std::vector<std::string> urls;       // turn:/turns: get credentials; stun: ones go with stun_urls
  std::vector<std::string> stun_urls;  // served without credentials
  std::string secret;                  // coturn's static-auth-secret
  int ttl_s = 3600;
};

struct Credential {
  std::string username;
  std::string password;
  std::int64_t expires_at_s = 0;  // Unix seconds; the number at the start of username
};

// One entry of iceServers. username/credential/expires_at_ms are set for
// TURN entries only.
struct IceServer {
  std::vector<std::string> urls;
  std::optional<std::string> username;
  std::optional<std::string> credential;
  std::optional<std::int64_t> expires_at_ms;
};

// base64 (RFC 4648 section 4, padded) of HMAC-SHA1(key, data).
std::string hmac_sha1_base64(std::string_view key, std::string_view data);

// A credential for `user_id` valid from `now_s` for `ttl_s` seconds.
// REQUIRES: user_id holds no ':' (Parley ids are ULIDs).
Credential make_credential(std::string_view secret, std::string_view user_id, std::int64_t now_s, int ttl_s);

// The iceServers for `user_id` now: one entry with every STUN URL (if any),
// then one entry with every TURN URL and a fresh credential (if any).
std::vector<IceServer> ice_servers(const TurnOptions& options, std::string_view user_id,
                                   const base::Clock& clock);

}  // namespace parley::turn
