// Internal to the SQLite backend: ChatStore over sqlite::Database.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "storage/chat_store.hpp"
#include "storage/sqlite/database.hpp"

namespace parley::storage::sqlite {

class SqliteChat final : public ChatStore {
 public:
  explicit SqliteChat(Database& db) : db_(db) {}

  void set_renderer(std::shared_ptr<const ChatRenderer> renderer) override { renderer_ = std::move(renderer); }
  void set_event_sink(EventSink sink) override {
    std::lock_guard lock(sink_mutex_);
    sink_ = std::move(sink);
  }

  StoreTask<std::vector<UserMatch>> search_users(std::string viewer_id, std::string query, int limit) override;
  StoreTask<UserSummary> get_user(std::string id) override;
  StoreTask<Relation> relation(std::string viewer_id, std::string other_id) override;
  StoreTask<std::vector<UserSummary>> contacts(std::string user_id) override;
  StoreTask<std::vector<UserSummary>> blocked_users(std::string user_id) override;
  StoreTask<std::vector<ContactRequestRecord>> pending_requests(std::string user_id) override;
  StoreTask<ContactRequestRecord> request_contact(std::string request_id, std::string from_id, std::string to_id, std::string note, std::int64_t now_ms) override;
  StoreTask<ContactRequestRecord> respond_contact(std::string request_id, std::string responder_id, bool accept, std::int64_t now_ms) override;
  StoreTask<ContactRequestRecord> cancel_contact_request(std::string request_id, std::string sender_id, std::int64_t now_ms) override;
  StoreTask<bool> remove_contact(std::string user_id, std::string other_id, std::int64_t now_ms) override;
  StoreTask<bool> block(std::string user_id, std::string other_id, std::int64_t now_ms) override;
  StoreTask<bool> unblock(std::string user_id, std::string other_id, std::int64_t now_ms) override;
  StoreTask<ConversationRecord> direct_conversation(std::string new_id, std::string user_id, std::string other_id, std::int64_t now_ms) override;
  StoreTask<ConversationRecord> create_group(NewGroup group) override;
  StoreTask<ConversationRecord> conversation(std::string viewer_id, std::string conversation_id) override;
  StoreTask<std::vector<ConversationRecord>> conversations(std::string viewer_id) override;
  StoreTask<ConversationRecord> change_membership(MembershipChange change) override;
  StoreTask<SendResult> send_message(NewMessage message) override;
  StoreTask<MessageRecord> record_call(NewCallEntry entry) override;
  StoreTask<MessageRecord> edit_message(std::string user_id, std::string message_id, std::string body, std::int64_t now_ms) override;
  StoreTask<MessageRecord> delete_message(std::string user_id, std::string message_id, std::int64_t now_ms) override;
  StoreTask<MessageRecord> react(std::string user_id, std::string message_id, std::string emoji, bool add, std::int64_t now_ms) override;
  StoreTask<MessageRecord> message(std::string viewer_id, std::string message_id) override;
  StoreTask<std::vector<MessageRecord>> messages(std::string viewer_id, std::string conversation_id, MessagePage page) override;
  StoreTask<MemberRecord> mark(std::string viewer_id, std::string conversation_id, std::int64_t read_seq, std::int64_t delivered_seq, std::int64_t now_ms) override;
  StoreTask<std::vector<MessageRecord>> search_messages(std::string viewer_id, std::string query, int limit) override;
  StoreTask<std::int64_t> head() override;
  StoreTask<std::vector<EventRecord>> events_after(std::string user_id, std::int64_t after_pos, int limit) override;
  StoreTask<std::int64_t> oldest_pos() override;
  StoreTask<std::int64_t> prune_events(std::int64_t before_ms) override;

 private:
  // A write op that appends events: `fn` runs in the transaction with the
  // renderer; after the commit the events go to the sink (writer thread, log
  // order), then the task completes.
  template <typename T>
  StoreTask<T> write_events(
      std::function<base::Result<T>(Connection&, const ChatRenderer&, std::vector<EventRecord>&)> fn);

  // New messages enter the search index in bulk, every kIndexBatch sends and
  // before every search (index_pending in chat_store.cpp).
  static constexpr int kIndexBatch = 256;
  int unindexed_ = 0;  // touched only by ops, which run on the writer thread

  Database& db_;
  std::shared_ptr<const ChatRenderer> renderer_;  // set before first use
  std::mutex sink_mutex_;
  EventSink sink_;  // GUARDED_BY(sink_mutex_)
};

}  // namespace parley::storage::sqlite
