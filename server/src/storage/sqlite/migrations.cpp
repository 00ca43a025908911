#include "storage/sqlite/migrations.hpp"

#include <string>

namespace parley::storage::sqlite {
namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  user_agent   TEXT NOT NULL DEFAULT '',
  ip           TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id, created_at);
CREATE INDEX sessions_by_revoked ON sessions(revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE refresh_tokens (
  hash       TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE signing_keys (
  kid          TEXT PRIMARY KEY,
  algorithm    TEXT NOT NULL,
  public_key   BLOB NOT NULL,
  private_key  BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  retire_after INTEGER,
  retired_at   INTEGER
) STRICT;
)sql"},
    {2, R"sql(
-- Chat. Timestamps are Unix ms. Ids are ULIDs chosen by the service.
CREATE TABLE contacts (
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, contact_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE blocks (
  blocker_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  blocked_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE contact_requests (
  id           TEXT PRIMARY KEY,
  from_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  to_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  note         TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED')),
  hidden       INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  responded_at INTEGER
) STRICT;
CREATE UNIQUE INDEX contact_requests_one_pending ON contact_requests(from_id, to_id) WHERE status = 'PENDING';
CREATE INDEX contact_requests_to ON contact_requests(to_id, status);

CREATE INDEX users_by_name ON users(display_name COLLATE NOCASE);

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('DIRECT', 'GROUP')),
  title            TEXT NOT NULL DEFAULT '',
  direct_key       TEXT UNIQUE,  -- 'a:b' with a < b, direct conversations only
  created_by       TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  last_seq         INTEGER NOT NULL DEFAULT 0,
  last_activity_at INTEGER NOT NULL
) STRICT;

CREATE TABLE members (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER')),
  joined_at       INTEGER NOT NULL,
  joined_seq      INTEGER NOT NULL,
  read_seq        INTEGER NOT NULL DEFAULT 0,
  delivered_seq   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX members_by_user ON members(user_id, conversation_id);

-- row: a stable integer key for the full-text index (VACUUM keeps it).
CREATE TABLE messages (
  row             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  sender_id       TEXT NOT NULL,
  client_id       TEXT,
  kind            TEXT NOT NULL CHECK (kind IN ('TEXT', 'SYSTEM')),
  body            TEXT NOT NULL,
  reply_to_id     TEXT,
  mentions        TEXT NOT NULL DEFAULT '',  -- space-separated user ids
  action          TEXT,                      -- system messages
  action_users    TEXT NOT NULL DEFAULT '',  -- space-separated user ids
  action_title    TEXT NOT NULL DEFAULT '',
  only_for        TEXT,                      -- visible to this user only (sent to someone who blocked the sender)
  created_at      INTEGER NOT NULL,
  edited_at       INTEGER,
  deleted_at      INTEGER,
  UNIQUE (conversation_id, seq)
) STRICT;
CREATE UNIQUE INDEX messages_client_id ON messages(conversation_id, sender_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE reactions (
  message_id TEXT NOT NULL,
  emoji      TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
) STRICT, WITHOUT ROWID;

-- Accents folded ('café' finds 'cafe'), Unicode-aware word splitting.
CREATE VIRTUAL TABLE message_search USING fts5(
  body, content = 'messages', content_rowid = 'row', tokenize = 'unicode61 remove_diacritics 2');

-- The event log: one row per event, one row per recipient. pos increases in
-- commit order (one writer); see storage/chat_store.hpp.
CREATE TABLE events (
  pos        INTEGER PRIMARY KEY AUTOINCREMENT,
  type       TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX events_by_time ON events(created_at);
CREATE TABLE event_recipients (
  user_id TEXT NOT NULL,
  pos     INTEGER NOT NULL,
  PRIMARY KEY (user_id, pos)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_recipients_by_pos ON event_recipients(pos);
)sql"},
    {3, R"sql(
-- Conversation events are stored once, not once per member: a member's
-- replay reads the conversation's events during their membership periods.
-- event_recipients keeps only personal events (contacts, blocks, messages
-- hidden from a blocker, a new direct conversation before its first message).
ALTER TABLE events ADD COLUMN conversation_id TEXT;
CREATE INDEX events_by_conversation ON events(conversation_id, pos) WHERE conversation_id IS NOT NULL;
CREATE TABLE member_periods (
  user_id         TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  from_pos        INTEGER NOT NULL,  -- the first event position the member sees
  to_pos          INTEGER,           -- the last (their leaving); NULL while a member
  PRIMARY KEY (user_id, conversation_id, from_pos)
) STRICT, WITHOUT ROWID;
-- Current members see every conversation event from now on.
INSERT INTO member_periods(user_id, conversation_id, from_pos)
  SELECT user_id, conversation_id, (SELECT COALESCE(MAX(pos), 0) + 1 FROM events) FROM members;
)sql"},
    {4, R"sql(
-- The search index is filled in bulk (see chat_store.cpp): messages with
-- row > indexed_row are not in message_search yet.
CREATE TABLE search_progress (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_row INTEGER NOT NULL
) STRICT;
INSERT INTO search_progress(id, indexed_row) SELECT 1, COALESCE(MAX(row), 0) FROM messages;
)sql"},
};

base::Result<int> current_version(Connection& conn) {
  PARLEY_ASSIGN_OR_RETURN(auto stmt, conn.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  PARLEY_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? static_cast<int>(stmt.int64(0)) : 0;
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }
int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

base::Result<int> migrate(Connection& conn) {
  PARLEY_RETURN_IF_ERROR(conn.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  PARLEY_ASSIGN_OR_RETURN(int version, current_version(conn));
  if (version > latest_schema_version()) {
    return base::Status::unavailable("database schema version " + std::to_string(version) +
                                     " is newer than this binary supports (" +
                                     std::to_string(latest_schema_version()) + "); upgrade parleyd");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    PARLEY_RETURN_IF_ERROR(conn.exec("BEGIN IMMEDIATE"));
    base::Status st = conn.exec(m.sql);
    if (st.is_ok()) {
      auto ins = conn.prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, unixepoch() * 1000)");
      st = ins.ok() ? (ins->bind_all(m.version), ins->run()) : ins.status();
    }
    if (st.is_ok()) st = conn.exec("COMMIT");
    if (!st.is_ok()) {
      (void)conn.exec("ROLLBACK");
      return base::Status::internal("migration " + std::to_string(m.version) + " failed: " + st.message());
    }
    version = m.version;
  }
  return version;
}

}  // namespace parley::storage::sqlite
