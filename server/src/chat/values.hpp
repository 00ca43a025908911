// Chat records as the API's values: the one place that decides how a
// message, conversation or contact request looks on the wire. Queries use
// these builders and add the viewer's own fields (unread count, status...);
// events use them unchanged (every recipient gets the same bytes), which is
// why nothing here depends on who is looking.
#pragma once

#include <memory>

#include "graphql/value.hpp"
#include "storage/chat_store.hpp"

namespace parley::chat {

graphql::Value user_value(const storage::UserSummary& user);
graphql::Value message_value(const storage::MessageRecord& message);
graphql::Value member_value(const storage::MemberRecord& member);
graphql::Value conversation_value(const storage::ConversationRecord& conversation);
graphql::Value contact_request_value(const storage::ContactRequestRecord& request);
// A CALL message's CallSummary.
graphql::Value call_summary_value(const storage::CallLogEntry& call,
                                  const std::vector<storage::UserSummary>& participants);
graphql::Value users_value(const std::vector<storage::UserSummary>& users);
graphql::Value time_value(std::int64_t ms);  // RFC 3339
graphql::Value opt_time(const std::optional<std::int64_t>& ms);

// Renders the stored events' payloads with the builders above.
std::shared_ptr<const storage::ChatRenderer> make_renderer();

}  // namespace parley::chat
