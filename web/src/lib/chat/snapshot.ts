// A copy of the chat state kept on this device so Parley opens offline with
// the conversation list and recent history (and the outbox's queued
// messages on top). Per user, in localStorage; removed on sign-out. Written
// at most once a second; holds the 30 most recent conversations and the
// newest 50 messages of each timeline loaded.
import type { Conversation } from './conversations';
import type { Timeline } from './message-store';

export interface Snapshot {
  v: 1;
  conversations: Conversation[];
  timelines: Record<string, Timeline>;
}

export interface SnapshotStorage {
  load(): Snapshot | null;
  save(s: Snapshot): void;
  clear(): void;
}

export function makeSnapshot(conversations: Conversation[], timelines: Readonly<Record<string, Timeline>>): Snapshot {
  const keep = conversations.slice(0, 30);
  const ids = new Set(keep.map((c) => c.id));
  const out: Record<string, Timeline> = {};
  for (const [id, t] of Object.entries(timelines)) {
    if (!ids.has(id) || !t.loaded || t.hasNewer) continue; // a range back in history: reopen at the newest
    const messages = t.messages.slice(-50);
    out[id] = { ...t, messages, pending: [], hasOlder: t.hasOlder || messages.length < t.messages.length, gapAfter: null };
  }
  return { v: 1, conversations: keep, timelines: out };
}

export function localSnapshotStorage(key: string): SnapshotStorage {
  return {
    load: () => {
      try {
        const raw = window.localStorage.getItem(key);
        const s = raw ? (JSON.parse(raw) as Snapshot) : null;
        return s && s.v === 1 && Array.isArray(s.conversations) ? s : null;
      } catch { return null; }
    },
    save: (s) => {
      try { window.localStorage.setItem(key, JSON.stringify(s)); } catch { /* quota: no offline copy */ }
    },
    clear: () => {
      try { window.localStorage.removeItem(key); } catch { /* nothing to clear */ }
    },
  };
}

export function memorySnapshotStorage(): SnapshotStorage & { value: Snapshot | null } {
  const s = {
    value: null as Snapshot | null,
    load: () => s.value,
    save: (v: Snapshot) => { s.value = JSON.parse(JSON.stringify(v)) as Snapshot; },
    clear: () => { s.value = null; },
  };
  return s;
}

/** Removes everything Parley keeps on this device for a user (on sign-out). */
export function forgetLocalData(userId: string): void {
  try {
    for (const k of [`parley.snapshot.${userId}`, `parley.outbox.${userId}`, `parley.presence.${userId}`]) window.localStorage.removeItem(k);
  } catch { /* no storage */ }
}
