#include "calls/call_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "chat/values.hpp"
#include "rtc/sdp/webrtc.hpp"
#include "sfu/negotiation.hpp"

namespace parley::calls {

using base::Result;
using base::Status;
using graphql::Value;
using storage::UserSummary;

std::string_view call_state_name(CallState s) {
  switch (s) {
    case CallState::Ringing: return "RINGING";
    case CallState::Ongoing: return "ONGOING";
    case CallState::Ended: return "ENDED";
  }
  return "ENDED";
}

std::string_view call_result_name(CallResult r) {
  switch (r) {
    case CallResult::Completed: return "COMPLETED";
    case CallResult::Missed: return "MISSED";
    case CallResult::Declined: return "DECLINED";
    case CallResult::Busy: return "BUSY";
    case CallResult::Cancelled: return "CANCELLED";
  }
  return "COMPLETED";
}

Value call_value(const CallSnapshot& c) {
  Value participants = Value::list();
  for (const auto& p : c.participants) {
    participants.push(Value::object()
                          .set("__typename", "CallParticipant")
                          .set("id", p.id)
                          .set("user", chat::user_value(p.user))
                          .set("joinedAt", chat::time_value(p.joined_at_ms))
                          .set("muted", p.muted)
                          .set("cameraOn", p.camera_on)
                          .set("screenSharing", p.screen_sharing));
  }
  return Value::object()
      .set("__typename", "Call")
      .set("id", c.id)
      .set("conversationId", c.conversation_id)
      .set("video", c.video)
      .set("state", Value::enum_value(std::string(call_state_name(c.state))))
      .set("caller", chat::user_value(c.caller))
      .set("startedAt", chat::time_value(c.started_at_ms))
      .set("answeredAt", chat::opt_time(c.answered_at_ms))
      .set("endedAt", chat::opt_time(c.ended_at_ms))
      .set("result", c.result ? Value::enum_value(std::string(call_result_name(*c.result))) : Value())
      .set("participants", std::move(participants))
      .set("ringing", chat::users_value(c.ringing))
      .set("declined", chat::users_value(c.declined))
      .set("busy", chat::users_value(c.busy))
      .set("activeSpeakerId", c.active_speaker.empty() ? Value() : Value(c.active_speaker))
      .set("ringUntil", chat::opt_time(c.ring_until_ms))
      .set("maxParticipants", static_cast<std::int64_t>(c.max_participants));
}

namespace {

// Runs fn on the worker's thread and resumes the caller with its result.
// Runs fn on the worker's thread; await the returned completion for its
// result (resumed on the awaiting thread's executor). A plain function, so
// that callers await a named completion (g++ 12 mishandles temporaries in
// co_await expressions: see docs/development.md).
template <typename T, typename F>
std::shared_ptr<base::Completion<T>> on_worker(sfu::Worker& worker, F fn) {
  auto done = std::make_shared<base::Completion<T>>();
  worker.post([done, fn = std::move(fn)]() mutable { done->complete(fn()); });
  return done;
}

bool contains(const std::vector<UserSummary>& users, const std::string& id) {
  return std::any_of(users.begin(), users.end(), [&](const UserSummary& u) { return u.id == id; });
}

void erase_user(std::vector<UserSummary>& users, const std::string& id) {
  std::erase_if(users, [&](const UserSummary& u) { return u.id == id; });
}

// What a publish offer sends: the mids of its sending sections by kind.
struct OfferedMedia {
  std::vector<std::string> audio_mids;
  std::vector<std::string> camera_mids;
  bool screen = false;
};

Result<OfferedMedia> offered_media(std::string_view offer, const std::optional<std::string>& screen_mid) {
  PARLEY_ASSIGN_OR_RETURN(auto desc, rtc::sdp::parse_webrtc(offer));
  OfferedMedia out;
  for (const auto& m : desc.media) {
    const bool sends = m.port != 0 && (m.direction == rtc::sdp::Direction::SendOnly ||
                                       m.direction == rtc::sdp::Direction::SendRecv);
    if (!sends) continue;
    if (m.kind == rtc::sdp::MediaKind::Audio) {
      out.audio_mids.push_back(m.mid);
    } else if (m.kind == rtc::sdp::MediaKind::Video) {
      if (screen_mid && m.mid == *screen_mid) {
        out.screen = true;
      } else {
        out.camera_mids.push_back(m.mid);
      }
    }
  }
  return out;
}

}  // namespace

// The room side of a call. Everything here runs on the room's worker thread.
struct CallService::Media final : sfu::Room::Listener, std::enable_shared_from_this<Media> {
  struct Offers {
    bool outstanding = false;  // an offer was sent and not answered yet
    bool wanted = false;       // the consumers changed since the last offer
    bool flush_posted = false;
    bool ever = false;         // an offer was ever sent (then even an empty one is worth sending)
  };
  struct Publishing {
    OfferedMedia offered;
    std::optional<std::string> screen_mid;
    bool muted = false;
    bool camera_on = true;
    bool screen_on = true;
  };

  CallService* service = nullptr;
  std::string call_id;
  sfu::Worker* worker = nullptr;
  sfu::Room* room = nullptr;
  std::unique_ptr<sfu::SdpNegotiator> negotiator;
  std::map<std::string, Offers> offers;
  std::map<std::string, Publishing> publishing;
  std::map<std::string, std::string> users;  // participant -> user id (offers go to that user)
  bool closed = false;

  void on_renegotiate(const std::string& participant) override { want_offer(participant); }
  void on_active_speaker(const std::string& participant) override { service->on_speaker(call_id, participant); }
  void on_transport_failed(const std::string& participant) override { service->on_failed(call_id, participant); }

  // Offers are sent one at a time per participant, after the current
  // handler returns (so that a burst of changes makes one offer, and a
  // screen share's stream label is set before it is offered).
  void want_offer(const std::string& participant) {
    Offers& o = offers[participant];
    o.wanted = true;
    if (o.outstanding || o.flush_posted) return;
    o.flush_posted = true;
    worker->post([self = shared_from_this(), participant] { self->flush(participant); });
  }

  void flush(const std::string& participant) {
    auto it = offers.find(participant);
    if (it == offers.end()) return;
    Offers& o = it->second;
    o.flush_posted = false;
    if (closed || o.outstanding || !o.wanted || room->participant(participant) == nullptr) return;
    o.wanted = false;
    if (!o.ever && room->consumers(participant).empty()) return;  // nothing to receive yet
    auto sdp = negotiator->subscribe_offer(participant);
    if (!sdp.ok()) {
      spdlog::warn("call {}: no subscribe offer for {}: {}", call_id, participant, sdp.error().message());
      return;
    }
    o.outstanding = true;
    o.ever = true;
    service->on_offer(call_id, participant, users[participant], std::move(*sdp));
  }

  // Pauses what the participant said is off (muted microphone, camera off).
  void apply_pauses(const std::string& participant) {
    auto it = publishing.find(participant);
    if (it == publishing.end()) return;
    const Publishing& p = it->second;
    for (const auto& mid : p.offered.audio_mids) {
      if (auto id = negotiator->producer_for(participant, mid)) (void)room->pause_producer(id, p.muted);
    }
    for (const auto& mid : p.offered.camera_mids) {
      if (auto id = negotiator->producer_for(participant, mid)) (void)room->pause_producer(id, !p.camera_on);
    }
    if (p.screen_mid) {
      if (auto id = negotiator->producer_for(participant, *p.screen_mid)) {
        negotiator->set_stream_id(id, participant + ".screen");
        (void)room->pause_producer(id, !p.screen_on);
      }
    }
  }

  Result<std::string> publish(const std::string& participant, const std::string& offer,
                              const std::optional<std::string>& screen_mid) {
    PARLEY_ASSIGN_OR_RETURN(auto offered, offered_media(offer, screen_mid));
    PARLEY_ASSIGN_OR_RETURN(std::string answer, negotiator->on_publish_offer(participant, offer));
    Publishing& p = publishing[participant];
    p.offered = std::move(offered);
    p.screen_mid = screen_mid;
    apply_pauses(participant);
    return answer;
  }

  void leave(const std::string& participant) {
    if (closed || room->participant(participant) == nullptr) return;
    room->leave(participant);
    negotiator->forget(participant);
    offers.erase(participant);
    publishing.erase(participant);
    users.erase(participant);
  }

  void close() {
    if (closed) return;
    closed = true;
    negotiator.reset();
    worker->close_room(call_id);
    room = nullptr;
  }
};

CallService::CallService(storage::Store& store, chat::ChatService& chat, sfu::Sfu& sfu, base::Clock& clock,
                         base::UlidGenerator& ids, CallOptions options)
    : store_(store), chat_(chat), sfu_(sfu), clock_(clock), ids_(ids), options_(options) {}

CallService::~CallService() { stop(); }

void CallService::start() {
  std::lock_guard lock(mutex_);
  if (timer_.joinable()) return;
  stopping_ = false;
  timer_ = std::thread([this] { run_timer(); });
}

void CallService::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!timer_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  timer_.join();
  std::vector<CallPtr> calls;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, call] : calls_) calls.push_back(call);
  }
  for (auto& call : calls) {
    base::sync_wait(finish(call, call->s.answered_at_ms ? CallResult::Completed : CallResult::Cancelled));
  }
}

void CallService::run_timer() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.sweep_ms));
    if (stopping_) break;
    lock.unlock();
    sweep();
    lock.lock();
  }
}

// Ring timeouts and participants whose transport failed. On the timer thread.
void CallService::sweep() {
  const std::int64_t now = clock_.now_ms();
  std::vector<CallPtr> missed;
  std::vector<std::pair<CallPtr, std::string>> failed;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, call] : calls_) {
      if (!call->s.ring_until_ms || *call->s.ring_until_ms > now) continue;
      if (call->s.state == CallState::Ringing) {
        missed.push_back(call);
      } else {
        // Answered by someone: the others simply stop ringing.
        call->s.ringing.clear();
        call->s.ring_until_ms.reset();
        announce(*call, "RINGING_STOPPED", nullptr);
      }
    }
    for (auto& [call_id, participant] : failed_) {
      auto it = calls_.find(call_id);
      if (it != calls_.end()) failed.emplace_back(it->second, participant);
    }
    failed_.clear();
  }
  for (auto& call : missed) base::sync_wait(finish(call, CallResult::Missed));
  for (auto& [call, participant] : failed) {
    spdlog::info("call {}: participant {} lost its connection", call->s.id, participant);
    (void)base::sync_wait(remove_participant(call, participant));
  }
}

Result<CallService::CallPtr> CallService::find_call(const std::string& call_id) const {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return Status::not_found("no such call (it may have ended)").with_field("callId");
  return it->second;
}

Result<std::pair<CallService::CallPtr, ParticipantInfo*>> CallService::own_participant(
    const std::string& user, const std::string& call_id, const std::string& participant_id) const {
  PARLEY_ASSIGN_OR_RETURN(CallPtr call, find_call(call_id));
  for (auto& p : call->s.participants) {
    if (p.id == participant_id && p.user.id == user) return std::make_pair(call, &p);
  }
  return Status::not_found("no such participant of yours in this call").with_field("participantId");
}

bool CallService::in_call(const std::string& user) const {
  for (const auto& [id, call] : calls_) {
    for (const auto& p : call->s.participants) {
      if (p.user.id == user) return true;
    }
  }
  return false;
}

void CallService::announce(const Call& call, std::string_view action, const UserSummary* user) {
  std::vector<std::string> recipients;
  if (call.only_for) {
    recipients.push_back(*call.only_for);
  } else {
    for (const auto& m : call.members) recipients.push_back(m.id);
  }
  std::string payload = Value::object()
                            .set("call", call_value(call.s))
                            .set("action", Value::enum_value(std::string(action)))
                            .set("user", user ? chat::user_value(*user) : Value())
                            .to_json();
  chat_.publish_ephemeral(recipients, "CallEvent", std::move(payload));
}

// On the worker thread. The participant may not be in the call's list yet
// (its join is still on the way back to the resolver): the offer goes to
// its user regardless.
void CallService::on_offer(const std::string& call_id, const std::string& participant_id, const std::string& user_id,
                           std::string sdp) {
  std::string payload =
      Value::object().set("callId", call_id).set("participantId", participant_id).set("sdp", std::move(sdp)).to_json();
  chat_.publish_ephemeral({user_id}, "CallOfferEvent", std::move(payload));
}

void CallService::on_speaker(const std::string& call_id, const std::string& participant_id) {
  std::lock_guard lock(mutex_);
  auto call = find_call(call_id);
  if (!call.ok() || (*call)->s.active_speaker == participant_id) return;
  (*call)->s.active_speaker = participant_id;
  announce(**call, "ACTIVE_SPEAKER", nullptr);
}

void CallService::on_failed(const std::string& call_id, const std::string& participant_id) {
  {
    std::lock_guard lock(mutex_);
    failed_.emplace_back(call_id, participant_id);
  }
  wake_.notify_all();
}

// ---- starting and joining

Task<JoinResult> CallService::start_call(std::string user, std::string conversation_id, bool video,
                                         std::optional<std::string> offer, std::optional<std::string> screen_mid) {
  auto conv_task = chat_.conversation(user, conversation_id);
  auto conv = co_await std::move(conv_task);
  if (!conv.ok()) co_return conv.status();
  auto call = std::make_shared<Call>();
  call->direct = conv->kind == storage::ConversationKind::Direct;
  for (const auto& m : conv->members) {
    call->members.push_back(m.user);
    if (m.user.id == user) call->s.caller = m.user;
  }
  // Calling someone who blocked you looks like calling someone who does not
  // answer: it rings nowhere and ends as missed, for the caller's eyes only.
  if (call->direct) {
    for (const auto& m : call->members) {
      if (m.id == user) continue;
      auto relation_task = chat_.relation(m.id, user);
      auto relation = co_await std::move(relation_task);
      if (!relation.ok()) co_return relation.status();
      if (relation->viewer_blocked_other) call->only_for = user;
    }
  }
  const std::int64_t now = clock_.now_ms();
  call->s.id = ids_.next();
  call->s.conversation_id = conversation_id;
  call->s.video = video;
  call->s.state = CallState::Ringing;
  call->s.started_at_ms = now;
  call->s.ring_until_ms = now + static_cast<std::int64_t>(options_.ring_timeout_s) * 1000;
  call->s.max_participants = options_.max_participants;
  bool callee_busy = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) co_return Status::unavailable("the server is shutting down");
    if (by_conversation_.contains(conversation_id)) {
      co_return Status::conflict("this conversation already has a call: join it").with_field("conversationId");
    }
    for (const auto& m : call->members) {
      if (m.id == user) continue;
      if (!call->only_for && in_call(m.id)) {
        call->s.busy.push_back(m);
      } else {
        call->s.ringing.push_back(m);
      }
    }
    callee_busy = call->direct && !call->s.busy.empty();
    call->worker = &sfu_.place();
    by_conversation_[conversation_id] = call->s.id;
    calls_[call->s.id] = call;
  }
  if (callee_busy) {
    // Busy: the call ends before it rings; the caller hears so at once.
    auto busy = finish(call, CallResult::Busy);
    co_await std::move(busy);
    JoinResult result;
    {
      std::lock_guard lock(mutex_);
      result.call = call->s;
    }
    result.participant_id = ids_.next();
    co_return result;
  }
  auto media = std::make_shared<Media>();
  media->service = this;
  media->call_id = call->s.id;
  media->worker = call->worker;
  auto op0 = on_worker<Status>(*call->worker, [media]() -> Status {
    auto room = media->worker->create_room(media->call_id, media.get());
    if (!room.ok()) return room.status();
    media->room = *room;
    media->negotiator = std::make_unique<sfu::SdpNegotiator>(**room);
    return Status::ok();
  });
  auto created = co_await *op0;
  if (!created.is_ok()) {
    std::lock_guard lock(mutex_);
    calls_.erase(call->s.id);
    by_conversation_.erase(conversation_id);
    co_return created;
  }
  call->media = media;
  auto enter_task = enter(call, call->s.caller, std::move(offer), std::move(screen_mid), true);
  auto joined = co_await std::move(enter_task);
  if (!joined.ok()) {
    // A bad offer: the call never happened (nobody rang, nothing recorded).
    {
      std::lock_guard lock(mutex_);
      calls_.erase(call->s.id);
      by_conversation_.erase(conversation_id);
    }
    auto op1 = on_worker<bool>(*call->worker, [media] {
      media->close();
      return true;
    });
    co_await *op1;
    co_return joined.status();
  }
  co_return joined;
}

Task<JoinResult> CallService::join_call(std::string user, std::string call_id, bool accept,
                                        std::optional<std::string> offer, std::optional<std::string> screen_mid) {
  std::string conversation_id;
  {
    std::lock_guard lock(mutex_);
    auto call = find_call(call_id);
    if (!call.ok()) co_return call.status();
    conversation_id = (*call)->s.conversation_id;
  }
  // Membership now, not as of the call's start.
  auto conv_task = chat_.conversation(user, conversation_id);
  auto conv = co_await std::move(conv_task);
  if (!conv.ok()) co_return Status::not_found("no such call (it may have ended)").with_field("callId");
  CallPtr call;
  UserSummary me;
  {
    std::lock_guard lock(mutex_);
    auto found = find_call(call_id);
    if (!found.ok()) co_return found.status();
    call = *found;
    if (call->only_for && *call->only_for != user) co_return Status::not_found("no such call").with_field("callId");
    for (const auto& m : conv->members) {
      if (m.user.id == user) me = m.user;
    }
    if (accept && !contains(call->s.ringing, user)) {
      co_return Status::conflict("this call is not ringing for you (answered elsewhere or over)").with_field("callId");
    }
    if (static_cast<int>(call->s.participants.size()) >= options_.max_participants) {
      co_return Status::limit_exceeded("the call is full (" + std::to_string(options_.max_participants) +
                                       " participants)");
    }
  }
  auto enter_task = enter(call, me, std::move(offer), std::move(screen_mid), false);
  co_return co_await std::move(enter_task);
}

Task<JoinResult> CallService::enter(CallPtr call, UserSummary user, std::optional<std::string> offer,
                                    std::optional<std::string> screen_mid, bool starting) {
  const std::string participant_id = ids_.next();
  auto media = call->media;
  using Joined = Result<std::pair<std::optional<std::string>, OfferedMedia>>;
  auto op2 = on_worker<Joined>(*call->worker, [media, participant_id, user_id = user.id, offer,
                                                screen_mid]() -> Joined {
    if (media->closed) return Status::not_found("no such call (it has ended)").with_field("callId");
    auto in = media->room->join(participant_id);
    if (!in.ok()) return in.status();
    media->users[participant_id] = user_id;
    std::pair<std::optional<std::string>, OfferedMedia> out;
    if (offer) {
      auto offered = offered_media(*offer, screen_mid);
      auto answer = offered.ok() ? media->publish(participant_id, *offer, screen_mid) : offered.status();
      if (!answer.ok()) {
        media->leave(participant_id);
        return answer.status().with_field("offer");
      }
      out.first = std::move(*answer);
      out.second = std::move(*offered);
    }
    media->want_offer(participant_id);  // the others' media, if any
    return out;
  });
  auto joined = co_await *op2;
  if (!joined.ok()) co_return joined.status();

  JoinResult result;
  result.participant_id = participant_id;
  result.answer = std::move(joined->first);
  bool ended = false;
  {
    std::lock_guard lock(mutex_);
    if (call->s.state == CallState::Ended) {
      ended = true;
    } else {
      ParticipantInfo p;
      p.id = participant_id;
      p.user = user;
      p.joined_at_ms = clock_.now_ms();
      p.camera_on = !joined->second.camera_mids.empty();
      p.screen_sharing = joined->second.screen;
      call->s.participants.push_back(p);
      if (std::find(call->joined_users.begin(), call->joined_users.end(), user.id) == call->joined_users.end()) {
        call->joined_users.push_back(user.id);
      }
      erase_user(call->s.ringing, user.id);
      erase_user(call->s.declined, user.id);
      if (!starting && user.id != call->s.caller.id && call->s.state == CallState::Ringing) {
        call->s.state = CallState::Ongoing;
        call->s.answered_at_ms = p.joined_at_ms;
        // A direct call rings one person: answered, it stops ringing.
        if (call->direct) call->s.ringing.clear();
      }
      if (call->s.ringing.empty()) call->s.ring_until_ms.reset();
      announce(*call, starting ? "STARTED" : "JOINED", &user);
      result.call = call->s;
    }
  }
  if (ended) {
    auto op3 = on_worker<bool>(*call->worker, [media, participant_id] {
      media->leave(participant_id);
      return true;
    });
    co_await *op3;
    co_return Status::not_found("no such call (it has ended)").with_field("callId");
  }
  co_return result;
}

// ---- declining, leaving, ending

Task<CallSnapshot> CallService::decline_call(std::string user, std::string call_id) {
  CallPtr call;
  bool end = false;
  {
    std::lock_guard lock(mutex_);
    auto found = find_call(call_id);
    if (!found.ok()) co_return found.status();
    call = *found;
    if (!contains(call->s.ringing, user) || (call->only_for && *call->only_for != user)) {
      co_return Status::conflict("this call is not ringing for you").with_field("callId");
    }
    UserSummary who;
    for (const auto& u : call->s.ringing) {
      if (u.id == user) who = u;
    }
    erase_user(call->s.ringing, user);
    call->s.declined.push_back(who);
    if (call->s.ringing.empty()) call->s.ring_until_ms.reset();
    // A direct call, or a group call everyone declined before anyone answered, is over.
    end = call->s.state == CallState::Ringing && (call->direct || call->s.ringing.empty());
    if (!end) {
      announce(*call, "DECLINED", &who);
      co_return call->s;
    }
  }
  auto finishing = finish(call, CallResult::Declined);
  co_await std::move(finishing);
  std::lock_guard lock(mutex_);
  co_return call->s;
}

Task<CallSnapshot> CallService::leave_call(std::string user, std::string call_id, std::string participant_id) {
  CallPtr call;
  {
    std::lock_guard lock(mutex_);
    auto found = own_participant(user, call_id, participant_id);
    if (!found.ok()) co_return found.status();
    call = found->first;
  }
  auto removing = remove_participant(call, participant_id);
  co_return co_await std::move(removing);
}

base::Task<CallSnapshot> CallService::remove_participant(CallPtr call, std::string participant_id) {
  auto media = call->media;
  auto op4 = on_worker<bool>(*call->worker, [media, participant_id] {
    media->leave(participant_id);
    return true;
  });
  co_await *op4;
  std::optional<CallResult> end;
  {
    std::lock_guard lock(mutex_);
    if (call->s.state == CallState::Ended) co_return call->s;
    auto it = std::find_if(call->s.participants.begin(), call->s.participants.end(),
                           [&](const ParticipantInfo& p) { return p.id == participant_id; });
    if (it == call->s.participants.end()) co_return call->s;
    const UserSummary who = it->user;
    call->s.participants.erase(it);
    if (call->s.active_speaker == participant_id) call->s.active_speaker.clear();
    const bool user_still_in = std::any_of(call->s.participants.begin(), call->s.participants.end(),
                                           [&](const ParticipantInfo& p) { return p.user.id == who.id; });
    if (call->s.state == CallState::Ringing) {
      // The caller gave up before anyone answered.
      if (!user_still_in && who.id == call->s.caller.id) end = CallResult::Cancelled;
    } else if (call->s.participants.empty() || (call->direct && !user_still_in)) {
      end = CallResult::Completed;
    }
    if (!end) {
      announce(*call, "LEFT", &who);
      co_return call->s;
    }
  }
  auto finishing = finish(call, *end);
  co_await std::move(finishing);
  std::lock_guard lock(mutex_);
  co_return call->s;
}

Task<CallSnapshot> CallService::end_call(std::string user, std::string call_id) {
  std::string conversation_id;
  bool is_caller = false;
  bool direct = false;
  {
    std::lock_guard lock(mutex_);
    auto found = find_call(call_id);
    if (!found.ok()) co_return found.status();
    conversation_id = (*found)->s.conversation_id;
    is_caller = (*found)->s.caller.id == user;
    direct = (*found)->direct;
  }
  auto conv_task = chat_.conversation(user, conversation_id);
  auto conv = co_await std::move(conv_task);
  if (!conv.ok()) co_return Status::not_found("no such call").with_field("callId");
  if (!is_caller) {
    bool allowed = false;
    for (const auto& m : conv->members) {
      if (m.user.id == user && !direct && m.role != storage::MemberRole::Member) allowed = true;
    }
    if (!allowed) co_return Status::forbidden("only the caller or the group's owner and admins end a call for everyone");
  }
  CallPtr call;
  {
    std::lock_guard lock(mutex_);
    auto found = find_call(call_id);
    if (!found.ok()) co_return found.status();
    call = *found;
  }
  auto finishing = finish(call, call->s.answered_at_ms ? CallResult::Completed : CallResult::Cancelled);
  co_await std::move(finishing);
  std::lock_guard lock(mutex_);
  co_return call->s;
}

base::Task<void> CallService::finish(CallPtr call, CallResult result) {
  storage::NewCallEntry entry;
  {
    std::lock_guard lock(mutex_);
    if (call->s.state == CallState::Ended) co_return;
    const std::int64_t now = clock_.now_ms();
    call->s.state = CallState::Ended;
    call->s.result = result;
    call->s.ended_at_ms = now;
    call->s.ringing.clear();
    call->s.ring_until_ms.reset();
    call->s.participants.clear();
    call->s.active_speaker.clear();
    calls_.erase(call->s.id);
    by_conversation_.erase(call->s.conversation_id);
    announce(*call, "ENDED", nullptr);
    entry.message_id = ids_.next();
    entry.conversation_id = call->s.conversation_id;
    entry.caller_id = call->s.caller.id;
    entry.call.call_id = call->s.id;
    entry.call.video = call->s.video;
    entry.call.result = std::string(call_result_name(result));
    entry.call.started_at_ms = call->s.started_at_ms;
    entry.call.answered_at_ms = call->s.answered_at_ms;
    entry.call.ended_at_ms = now;
    entry.participant_ids = call->joined_users;
    entry.only_for = call->only_for;
  }
  if (auto media = call->media) {
    auto op5 = on_worker<bool>(*call->worker, [media] {
      for (auto it = media->publishing.begin(); it != media->publishing.end();) {
        const std::string participant = (it++)->first;
        media->leave(participant);
      }
      media->close();
      return true;
    });
    co_await *op5;
  }
  auto record_task = store_.chat().record_call(std::move(entry));
  auto recorded = co_await std::move(record_task);
  if (!recorded.ok()) spdlog::error("call {}: the timeline entry was not written: {}", call->s.id,
                                    recorded.error().message());
}

// ---- media

Task<std::string> CallService::publish(std::string user, std::string call_id, std::string participant_id,
                                       std::string offer, std::optional<std::string> screen_mid) {
  CallPtr call;
  {
    std::lock_guard lock(mutex_);
    auto found = own_participant(user, call_id, participant_id);
    if (!found.ok()) co_return found.status();
    call = found->first;
  }
  auto media = call->media;
  using Published = Result<std::pair<std::string, OfferedMedia>>;
  auto op6 = on_worker<Published>(*call->worker, [media, participant_id, offer, screen_mid]() -> Published {
    if (media->closed) return Status::not_found("no such call (it has ended)").with_field("callId");
    PARLEY_ASSIGN_OR_RETURN(auto offered, offered_media(offer, screen_mid));
    auto answer = media->publish(participant_id, offer, screen_mid);
    if (!answer.ok()) return answer.status().with_field("offer");
    return std::make_pair(std::move(*answer), std::move(offered));
  });
  auto published = co_await *op6;
  if (!published.ok()) co_return published.status();
  std::lock_guard lock(mutex_);
  for (auto& p : call->s.participants) {
    if (p.id != participant_id) continue;
    const bool camera = !published->second.camera_mids.empty();
    const bool screen = published->second.screen;
    if (p.camera_on != camera || p.screen_sharing != screen) {
      p.camera_on = camera;
      p.screen_sharing = screen;
      announce(*call, "MEDIA_CHANGED", &p.user);
    }
  }
  co_return std::move(published->first);
}

Task<bool> CallService::answer_offer(std::string user, std::string call_id, std::string participant_id,
                                     std::string sdp) {
  CallPtr call;
  {
    std::lock_guard lock(mutex_);
    auto found = own_participant(user, call_id, participant_id);
    if (!found.ok()) co_return found.status();
    call = found->first;
  }
  auto media = call->media;
  auto op7 = on_worker<Status>(*call->worker, [media, participant_id, sdp]() -> Status {
    if (media->closed) return Status::not_found("no such call (it has ended)").with_field("callId");
    auto it = media->offers.find(participant_id);
    if (it == media->offers.end() || !it->second.outstanding) {
      return Status::conflict("no offer is waiting for an answer").with_field("sdp");
    }
    Status st = media->negotiator->on_subscribe_answer(participant_id, sdp);
    if (!st.is_ok()) return std::move(st).with_field("sdp");
    it->second.outstanding = false;
    if (it->second.wanted) media->want_offer(participant_id);
    return Status::ok();
  });
  auto answered = co_await *op7;
  if (!answered.is_ok()) co_return answered;
  co_return true;
}

Task<CallSnapshot> CallService::set_media(std::string user, std::string call_id, std::string participant_id,
                                          MediaState state) {
  CallPtr call;
  bool muted = false, camera_on = false, screen = false;
  {
    std::lock_guard lock(mutex_);
    auto found = own_participant(user, call_id, participant_id);
    if (!found.ok()) co_return found.status();
    call = found->first;
    const ParticipantInfo* it = found->second;
    muted = state.muted.value_or(it->muted);
    camera_on = state.camera_on.value_or(it->camera_on);
    screen = state.screen_sharing.value_or(it->screen_sharing);
  }
  auto media = call->media;
  auto op8 = on_worker<bool>(*call->worker, [media, participant_id, muted, camera_on, screen] {
    if (media->closed) return false;
    auto& p = media->publishing[participant_id];
    p.muted = muted;
    p.camera_on = camera_on;
    p.screen_on = screen;
    media->apply_pauses(participant_id);
    return true;
  });
  co_await *op8;
  std::lock_guard lock(mutex_);
  for (auto& p : call->s.participants) {
    if (p.id != participant_id) continue;
    if (p.muted != muted || p.camera_on != camera_on || p.screen_sharing != screen) {
      p.muted = muted;
      p.camera_on = camera_on;
      p.screen_sharing = screen;
      announce(*call, "MEDIA_CHANGED", &p.user);
    }
  }
  co_return call->s;
}

// ---- queries

CallService::Gauges CallService::gauges() const {
  std::lock_guard lock(mutex_);
  Gauges g;
  g.calls = calls_.size();
  for (const auto& [id, call] : calls_) {
    g.participants += call->s.participants.size();
    if (call->s.state == CallState::Ringing) ++g.ringing;
  }
  return g;
}

std::vector<CallSnapshot> CallService::active_calls(const std::string& user) const {
  std::lock_guard lock(mutex_);
  std::vector<CallSnapshot> out;
  for (const auto& [id, call] : calls_) {
    if (call->only_for && *call->only_for != user) continue;
    if (contains(call->members, user)) out.push_back(call->s);
  }
  return out;
}

std::optional<CallSnapshot> CallService::active_call_in(const std::string& viewer,
                                                        const std::string& conversation_id) const {
  std::lock_guard lock(mutex_);
  auto it = by_conversation_.find(conversation_id);
  if (it == by_conversation_.end()) return std::nullopt;
  auto call = calls_.find(it->second);
  if (call == calls_.end()) return std::nullopt;
  if (call->second->only_for && *call->second->only_for != viewer) return std::nullopt;
  return call->second->s;
}

}  // namespace parley::calls
