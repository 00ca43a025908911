// CallService: voice and video calls in conversations, with every device's
// media through Parley's SFU (docs/calls.md).
//
// A call belongs to one conversation and lives in memory on this node while
// it rings or runs; when it ends it leaves a CALL entry in the timeline (the
// chat store's event log carries it to every member). Changes reach the
// members as ephemeral CallEvents (the whole call after each change); the
// SFU's offers for a device's receiving connection reach that device's user
// as CallOfferEvents.
//
// Each device in a call is a participant of the call's sfu::Room (two
// transports: publish, offered by the client; subscribe, offered by the SFU).
// Room and SdpNegotiator live on the room's worker thread; this service
// reaches them with Worker::post and awaits the result. Call state (who
// rings, who is in) is guarded by one mutex, never held across an await.
//
// Thread-safe; methods may be called from any event loop.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "base/status.hpp"
#include "base/task.hpp"
#include "base/ulid.hpp"
#include "chat/chat_service.hpp"
#include "graphql/value.hpp"
#include "sfu/sfu.hpp"
#include "storage/store.hpp"

namespace parley::calls {

template <typename T>
using Task = base::Task<base::Result<T>>;

struct CallOptions {
  int ring_timeout_s = 45;     // unanswered ringing becomes a missed call
  int max_participants = 50;   // devices in one call
  std::int64_t sweep_ms = 200;  // how often ring timeouts and failed transports are looked at
};

enum class CallState { Ringing, Ongoing, Ended };
enum class CallResult { Completed, Missed, Declined, Busy, Cancelled };
std::string_view call_state_name(CallState s);    // "RINGING", ...
std::string_view call_result_name(CallResult r);  // "COMPLETED", ...

struct ParticipantInfo {
  std::string id;  // ULID, also the SFU participant id and the msid stream id
  storage::UserSummary user;
  std::int64_t joined_at_ms = 0;
  bool muted = false;
  bool camera_on = false;
  bool screen_sharing = false;
};

// A call as the API shows it (a copy, taken under the service's lock).
struct CallSnapshot {
  std::string id;
  std::string conversation_id;
  bool video = false;
  CallState state = CallState::Ringing;
  storage::UserSummary caller;
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> answered_at_ms;
  std::optional<std::int64_t> ended_at_ms;
  std::optional<CallResult> result;
  std::vector<ParticipantInfo> participants;
  std::vector<storage::UserSummary> ringing;
  std::vector<storage::UserSummary> declined;
  std::vector<storage::UserSummary> busy;
  std::string active_speaker;  // participant id, "" for nobody
  std::optional<std::int64_t> ring_until_ms;
  int max_participants = 0;
};

graphql::Value call_value(const CallSnapshot& call);

struct JoinResult {
  CallSnapshot call;
  std::string participant_id;
  std::optional<std::string> answer;  // SDP answer to the join's offer
};

struct MediaState {
  std::optional<bool> muted;
  std::optional<bool> camera_on;
  std::optional<bool> screen_sharing;
};

class CallService {
 public:
  CallService(storage::Store& store, chat::ChatService& chat, sfu::Sfu& sfu, base::Clock& clock,
              base::UlidGenerator& ids, CallOptions options = {});
  ~CallService();
  CallService(const CallService&) = delete;
  CallService& operator=(const CallService&) = delete;

  // Starts the timer thread (ring timeouts, failed transports).
  void start();
  // Ends every call (recording them) and stops the timer thread. Before the
  // SFU and the store stop.
  void stop();
  const CallOptions& options() const { return options_; }

  Task<JoinResult> start_call(std::string user, std::string conversation_id, bool video,
                              std::optional<std::string> offer, std::optional<std::string> screen_mid);
  // accept: the call must ring for the user; join: any member, any time the call runs.
  Task<JoinResult> join_call(std::string user, std::string call_id, bool accept, std::optional<std::string> offer,
                             std::optional<std::string> screen_mid);
  Task<CallSnapshot> decline_call(std::string user, std::string call_id);
  Task<CallSnapshot> leave_call(std::string user, std::string call_id, std::string participant_id);
  Task<CallSnapshot> end_call(std::string user, std::string call_id);
  Task<std::string> publish(std::string user, std::string call_id, std::string participant_id, std::string offer,
                            std::optional<std::string> screen_mid);
  Task<bool> answer_offer(std::string user, std::string call_id, std::string participant_id, std::string sdp);
  Task<CallSnapshot> set_media(std::string user, std::string call_id, std::string participant_id, MediaState media);

  struct Gauges {
    std::size_t calls = 0;
    std::size_t participants = 0;
    std::size_t ringing = 0;  // of the calls, those not answered yet
  };
  Gauges gauges() const;

  // Calls ringing or running in the user's conversations (membership as of the call's start).
  std::vector<CallSnapshot> active_calls(const std::string& user) const;
  // The call of a conversation, as `viewer` (a member: the caller checked) may see it.
  std::optional<CallSnapshot> active_call_in(const std::string& viewer, const std::string& conversation_id) const;

 private:
  struct Media;  // the room side, on the worker thread (call_service.cpp)
  struct Call {
    CallSnapshot s;
    bool direct = false;
    std::vector<storage::UserSummary> members;  // recipients of CallEvents
    std::vector<std::string> joined_users;      // everyone who ever joined, in order (the timeline's participants)
    std::optional<std::string> only_for;        // hidden call: the callee blocked the caller
    sfu::Worker* worker = nullptr;
    std::shared_ptr<Media> media;
    std::map<std::string, std::string> screen_mids;  // participant -> its screen share's mid
  };
  using CallPtr = std::shared_ptr<Call>;

  base::Result<CallPtr> find_call(const std::string& call_id) const;  // with mutex_ held
  // The call and the user's own participant in it (NOT_FOUND otherwise); with mutex_ held.
  base::Result<std::pair<CallPtr, ParticipantInfo*>> own_participant(const std::string& user,
                                                                     const std::string& call_id,
                                                                     const std::string& participant_id) const;
  bool in_call(const std::string& user) const;                        // with mutex_ held
  // Publishes a CallEvent about `call` (mutex_ held: snapshots stay ordered).
  void announce(const Call& call, std::string_view action, const storage::UserSummary* user);
  // Ends a call: closes its room, announces ENDED, records the timeline entry.
  base::Task<void> finish(CallPtr call, CallResult result);
  // Removes a participant; may end the call. Returns the call after it.
  base::Task<CallSnapshot> remove_participant(CallPtr call, std::string participant_id);
  Task<JoinResult> enter(CallPtr call, storage::UserSummary user, std::optional<std::string> offer,
                         std::optional<std::string> screen_mid, bool starting);
  void on_offer(const std::string& call_id, const std::string& participant_id, const std::string& user_id,
                std::string sdp);
  void on_speaker(const std::string& call_id, const std::string& participant_id);
  void on_failed(const std::string& call_id, const std::string& participant_id);
  void sweep();
  void run_timer();

  storage::Store& store_;
  chat::ChatService& chat_;
  sfu::Sfu& sfu_;
  base::Clock& clock_;
  base::UlidGenerator& ids_;
  CallOptions options_;

  mutable std::mutex mutex_;
  std::map<std::string, CallPtr> calls_;                 // GUARDED_BY(mutex_), by call id
  std::map<std::string, std::string> by_conversation_;   // GUARDED_BY(mutex_)
  std::vector<std::pair<std::string, std::string>> failed_;  // GUARDED_BY(mutex_): (call, participant)
  bool stopping_ = false;                                // GUARDED_BY(mutex_)
  std::condition_variable wake_;
  std::thread timer_;
};

}  // namespace parley::calls
