#include "rtc/ice/ice_server.hpp"

#include <algorithm>

namespace parley::rtc::ice {

std::optional<std::string_view> recipient_ufrag(const stun::Message& request) {
  auto u = request.username();
  if (!u) return std::nullopt;
  const std::size_t colon = u->find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return u->substr(0, colon);
}

std::string_view to_string(IceServer::State s) {
  switch (s) {
    case IceServer::State::New: return "new";
    case IceServer::State::Connected: return "connected";
    case IceServer::State::Completed: return "completed";
    case IceServer::State::Disconnected: return "disconnected";
  }
  return "new";
}

IceServer::IceServer(Listener& listener, std::string local_ufrag, std::string local_pwd, Options options)
    : listener_(listener),
      local_ufrag_(std::move(local_ufrag)),
      local_pwd_(std::move(local_pwd)),
      options_(std::move(options)) {}

IceServer::IceServer(Listener& listener, std::string local_ufrag, std::string local_pwd)
    : IceServer(listener, std::move(local_ufrag), std::move(local_pwd), Options{}) {}

void IceServer::restart(std::string local_ufrag, std::string local_pwd) {
  local_ufrag_ = std::move(local_ufrag);
  local_pwd_ = std::move(local_pwd);
  remote_ufrag_.clear();
}

void IceServer::set_state(State s) {
  if (state_ == s) return;
  state_ = s;
  listener_.on_ice_state(s);
}

void IceServer::select(const Path& path) {
  if (selected_ && *selected_ == path) return;
  selected_ = path;
  listener_.on_ice_selected_path(path);
}

void IceServer::respond_error(const stun::Message& request, const Path& path, std::uint16_t code,
                              std::string_view reason, bool with_integrity, std::span<const std::uint16_t> unknown) {
  stun::MessageBuilder b(request.method(), stun::Class::ErrorResponse, request.transaction_id());
  if (!options_.software.empty()) b.add_software(options_.software);
  b.add_error_code(code, reason);
  if (!unknown.empty()) b.add_unknown_attributes(unknown);
  if (with_integrity) b.add_message_integrity(std::string_view(local_pwd_));
  b.add_fingerprint();
  ++counters_.errors_sent;
  listener_.on_ice_send(b.bytes(), path);
}

void IceServer::receive(const stun::Message& m, const Path& path, std::int64_t now_ms) {
  if (m.method() != stun::kMethodBinding) {
    ++counters_.dropped;
    return;
  }
  if (m.message_class() == stun::Class::Indication) return;  // keepalive (RFC 8445 section 11)
  if (m.message_class() != stun::Class::Request) {
    ++counters_.dropped;  // a lite agent sends no requests, so expects no responses
    return;
  }
  // A FINGERPRINT that does not check means this is not STUN for us.
  if (m.has_fingerprint() && !m.verify_fingerprint()) {
    ++counters_.dropped;
    return;
  }
  if (!m.unknown_required().empty()) {
    respond_error(m, path, 420, "Unknown Attribute", false, m.unknown_required());
    return;
  }
  if (!m.username() || !m.has_message_integrity()) {
    respond_error(m, path, 400, "Bad Request", false);
    return;
  }
  // USERNAME is "<our ufrag>:<their ufrag>" (RFC 8445 section 7.2.2).
  const std::string_view username = *m.username();
  const std::size_t colon = username.find(':');
  if (colon == std::string_view::npos || username.substr(0, colon) != local_ufrag_ ||
      (!remote_ufrag_.empty() && username.substr(colon + 1) != remote_ufrag_)) {
    respond_error(m, path, 401, "Unauthenticated", false);
    return;
  }
  if (!m.verify_message_integrity(std::string_view(local_pwd_))) {
    respond_error(m, path, 401, "Unauthenticated", false);
    return;
  }
  // Authenticated from here: errors carry our MESSAGE-INTEGRITY.
  if (!m.has_fingerprint() || !m.priority()) {
    respond_error(m, path, 400, "Bad Request", true);
    return;
  }
  if (m.ice_controlled()) {
    // Both sides think they are controlled; a lite agent cannot switch
    // (RFC 8445 section 7.3.1.1): the full agent must take control.
    respond_error(m, path, 487, "Role Conflict", true);
    return;
  }

  stun::MessageBuilder b(stun::kMethodBinding, stun::Class::SuccessResponse, m.transaction_id());
  if (!options_.software.empty()) b.add_software(options_.software);
  b.add_xor_mapped_address(path.remote).add_message_integrity(std::string_view(local_pwd_)).add_fingerprint();
  ++counters_.requests_ok;
  listener_.on_ice_send(b.bytes(), path);

  auto it = std::find_if(paths_.begin(), paths_.end(), [&](const ValidPath& v) { return v.path == path; });
  if (it == paths_.end()) {
    if (paths_.size() >= options_.max_paths) {
      // Make room: forget the least recently refreshed path that is not selected.
      auto victim = paths_.end();
      for (auto p = paths_.begin(); p != paths_.end(); ++p) {
        if (selected_ && p->path == *selected_) continue;
        if (victim == paths_.end() || p->last_consent_ms < victim->last_consent_ms) victim = p;
      }
      if (victim != paths_.end()) {
        const Path gone = victim->path;
        paths_.erase(victim);
        listener_.on_ice_path_expired(gone);
      }
    }
    paths_.push_back(ValidPath{path, now_ms, false});
    it = paths_.end() - 1;
    listener_.on_ice_path_valid(path);
    // The callback may not add paths (it must not re-enter), so `it` stays valid.
  }
  it->last_consent_ms = now_ms;
  if (m.use_candidate()) {
    it->nominated = true;
    select(path);
    set_state(State::Completed);
  } else if (!selected_) {
    select(path);
    set_state(State::Connected);
  }
}

void IceServer::on_timer(std::int64_t now_ms) {
  bool lost_selected = false;
  std::vector<Path> expired;
  for (auto it = paths_.begin(); it != paths_.end();) {
    if (now_ms - it->last_consent_ms >= options_.consent_timeout_ms) {
      if (selected_ && it->path == *selected_) lost_selected = true;
      ++counters_.paths_expired;
      expired.push_back(it->path);
      it = paths_.erase(it);
    } else {
      ++it;
    }
  }
  for (const Path& p : expired) listener_.on_ice_path_expired(p);
  if (!lost_selected) return;
  selected_.reset();
  if (paths_.empty()) {
    set_state(State::Disconnected);
    return;
  }
  // Prefer a nominated path, then the most recently refreshed.
  auto best = std::max_element(paths_.begin(), paths_.end(), [](const ValidPath& a, const ValidPath& b) {
    if (a.nominated != b.nominated) return !a.nominated;
    return a.last_consent_ms < b.last_consent_ms;
  });
  select(best->path);
  set_state(best->nominated ? State::Completed : State::Connected);
}

std::optional<std::int64_t> IceServer::next_timeout_ms() const {
  std::optional<std::int64_t> t;
  for (const auto& p : paths_) {
    const std::int64_t at = p.last_consent_ms + options_.consent_timeout_ms;
    if (!t || at < *t) t = at;
  }
  return t;
}

bool IceServer::is_valid(const Path& path) const {
  return std::any_of(paths_.begin(), paths_.end(), [&](const ValidPath& v) { return v.path == path; });
}

std::optional<Path> IceServer::selected_path() const { return selected_; }

}  // namespace parley::rtc::ice
