// Resolvers of the call API (calls/call_service.hpp does the work; the
// flow is in docs/calls.md).
#include "api/api.hpp"
#include "calls/call_service.hpp"

namespace parley::api {

using base::Result;
using base::Status;
using base::Task;
using graphql::FieldContext;
using graphql::Value;

namespace {

std::string arg_string(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  return v ? v->as_string() : std::string();
}

std::optional<std::string> arg_opt_string(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->as_string();
}

std::optional<bool> arg_opt_bool(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->as_bool();
}

const Value& input_of(const FieldContext& f) {
  static const Value kEmpty = Value::object();
  const Value* v = f.args.find("input");
  return v ? *v : kEmpty;
}

Value join_value(const calls::JoinResult& r) {
  return Value::object()
      .set("call", calls::call_value(r.call))
      .set("participantId", r.participant_id)
      .set("answer", r.answer ? Value(*r.answer) : Value());
}

}  // namespace

void Api::bind_call_resolvers() {
  auto& s = *schema_;

  // The signed-in user and the call service, or why not.
#define PARLEY_REQUIRE_CALLS(f)                                                                  \
  auto principal = request_context((f).context).require_principal();                           \
  if (!principal.ok()) co_return principal.error();                                            \
  if (calls == nullptr) co_return Status::unavailable("calls are not enabled on this server"); \
  const std::string& me = principal->user_id

  s.resolve("Query", "activeCalls", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    Value list = Value::list();
    if (calls == nullptr) co_return list;
    for (const auto& c : calls->active_calls(principal->user_id)) list.push(calls::call_value(c));
    co_return list;
  });

  s.resolve("Mutation", "startCall", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    const Value& in = input_of(f);
    auto task = calls->start_call(me, arg_string(in, "conversationId"), arg_opt_bool(in, "video").value_or(false),
                                  arg_opt_string(in, "offer"), arg_opt_string(in, "screenMid"));
    auto joined = co_await std::move(task);
    if (!joined.ok()) co_return joined.status();
    co_return join_value(*joined);
  });

  for (const char* name : {"acceptCall", "joinCall"}) {
    const bool accept = std::string_view(name) == "acceptCall";
    s.resolve("Mutation", name, [calls = calls_, accept](const FieldContext& f) -> Task<Result<Value>> {
      PARLEY_REQUIRE_CALLS(f);
      const Value& in = input_of(f);
      auto task = calls->join_call(me, arg_string(in, "callId"), accept, arg_opt_string(in, "offer"),
                                   arg_opt_string(in, "screenMid"));
      auto joined = co_await std::move(task);
      if (!joined.ok()) co_return joined.status();
      co_return join_value(*joined);
    });
  }

  s.resolve("Mutation", "declineCall", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    auto task = calls->decline_call(me, arg_string(f.args, "callId"));
    auto call = co_await std::move(task);
    if (!call.ok()) co_return call.status();
    co_return calls::call_value(*call);
  });

  s.resolve("Mutation", "leaveCall", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    auto task = calls->leave_call(me, arg_string(f.args, "callId"), arg_string(f.args, "participantId"));
    auto call = co_await std::move(task);
    if (!call.ok()) co_return call.status();
    co_return calls::call_value(*call);
  });

  s.resolve("Mutation", "endCall", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    auto task = calls->end_call(me, arg_string(f.args, "callId"));
    auto call = co_await std::move(task);
    if (!call.ok()) co_return call.status();
    co_return calls::call_value(*call);
  });

  s.resolve("Mutation", "publishCallMedia", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    const Value& in = input_of(f);
    auto task = calls->publish(me, arg_string(in, "callId"), arg_string(in, "participantId"), arg_string(in, "offer"),
                               arg_opt_string(in, "screenMid"));
    auto answer = co_await std::move(task);
    if (!answer.ok()) co_return answer.status();
    co_return Value(std::move(*answer));
  });

  s.resolve("Mutation", "answerCallOffer", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    auto task = calls->answer_offer(me, arg_string(f.args, "callId"), arg_string(f.args, "participantId"),
                                    arg_string(f.args, "sdp"));
    auto done = co_await std::move(task);
    if (!done.ok()) co_return done.status();
    co_return Value(true);
  });

  s.resolve("Mutation", "setCallMedia", [calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_CALLS(f);
    const Value& in = input_of(f);
    calls::MediaState media;
    media.muted = arg_opt_bool(in, "muted");
    media.camera_on = arg_opt_bool(in, "cameraOn");
    media.screen_sharing = arg_opt_bool(in, "screenSharing");
    auto task = calls->set_media(me, arg_string(in, "callId"), arg_string(in, "participantId"), media);
    auto call = co_await std::move(task);
    if (!call.ok()) co_return call.status();
    co_return calls::call_value(*call);
  });
#undef PARLEY_REQUIRE_CALLS
}

}  // namespace parley::api
