#include "auth/jwt.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "base/random.hpp"

namespace parley::auth::jwt {
namespace {

using nlohmann::json;

base::Status malformed() { return base::Status::unauthenticated("malformed access token"); }

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

void keypair_from_seed(std::string_view seed, std::string& public_key, std::string& secret_key) {
  public_key.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  secret_key.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                           reinterpret_cast<unsigned char*>(secret_key.data()), bytes(seed));
}

std::string sign(const Claims& claims, std::string_view kid, std::string_view secret_key) {
  json header = {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", std::string(kid)}};
  json payload = {{"iss", claims.iss}, {"sub", claims.sub}, {"sid", claims.sid},
                  {"iat", claims.iat}, {"exp", claims.exp}};
  std::string token = base::base64url_encode(header.dump());
  token += '.';
  token += base::base64url_encode(payload.dump());
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, bytes(token), token.size(), bytes(secret_key));
  token += '.';
  token += base::base64url_encode(std::span<const std::uint8_t>(sig, sizeof sig));
  return token;
}

base::Result<Parsed> parse(std::string_view token) {
  if (token.size() > 4096) return malformed();
  std::size_t d1 = token.find('.');
  if (d1 == std::string_view::npos) return malformed();
  std::size_t d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) return malformed();

  std::string header_text, payload_text;
  Parsed out;
  if (!base::base64url_decode(token.substr(0, d1), header_text) ||
      !base::base64url_decode(token.substr(d1 + 1, d2 - d1 - 1), payload_text) ||
      !base::base64url_decode(token.substr(d2 + 1), out.signature)) {
    return malformed();
  }
  if (out.signature.size() != crypto_sign_BYTES) return malformed();

  json header = json::parse(header_text, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) return malformed();
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) return malformed();
  if (alg->get_ref<const std::string&>() != "EdDSA") {
    return base::Status::unauthenticated("unsupported token algorithm");
  }
  auto typ = header.find("typ");
  if (typ != header.end() && (!typ->is_string() || typ->get_ref<const std::string&>() != "JWT")) return malformed();
  auto kid = header.find("kid");
  if (kid == header.end() || !kid->is_string()) return malformed();
  out.kid = kid->get<std::string>();

  json payload = json::parse(payload_text, nullptr, false);
  if (!payload.is_object()) return malformed();
  auto str = [&](const char* name, std::string& dst) {
    auto it = payload.find(name);
    if (it == payload.end() || !it->is_string()) return false;
    dst = it->get<std::string>();
    return !dst.empty();
  };
  auto num = [&](const char* name, std::int64_t& dst) {
    auto it = payload.find(name);
    if (it == payload.end() || !it->is_number_integer()) return false;
    dst = it->get<std::int64_t>();
    return true;
  };
  if (!str("iss", out.claims.iss) || !str("sub", out.claims.sub) || !str("sid", out.claims.sid) ||
      !num("iat", out.claims.iat) || !num("exp", out.claims.exp)) {
    return malformed();
  }
  out.signing_input = token.substr(0, d2);
  return out;
}

bool verify_signature(const Parsed& parsed, std::string_view public_key) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || parsed.signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(bytes(parsed.signature), bytes(parsed.signing_input), parsed.signing_input.size(),
                                     bytes(public_key)) == 0;
}

}  // namespace parley::auth::jwt
