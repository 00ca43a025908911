// The signed-in user's chat state in this tab: conversations, open
// timelines, typing, contacts and requests, and the outbox. Framework-free
// (React reads it through subscribe/getState); every change goes through the
// pure functions of conversations.ts and message-store.ts.
//
// Start-up follows the API's contract: read Query.eventCursor, then load the
// state, then subscribe with events(since: cursor), so nothing that happens
// in between is lost, and replays are harmless (every merge is idempotent).
import type { ContactRequestFieldsFragment, UserFieldsFragment } from '@/gql/graphql';
import type { TypedDocumentString } from '@/gql/graphql';
import { ApiError, humanMessage } from '@/lib/api/errors';
import type { LiveEvent } from '@/lib/api/events';
import {
  AddReactionDocument, ChatStartDocument, ConversationDocument, ConversationsDocument, CreateDirectConversationDocument,
  DeleteMessageDocument, EditMessageDocument, EventCursorDocument, MarkReadDocument, MessagesDocument,
  RemoveReactionDocument, RequestContactDocument, RespondContactDocument, SearchUsersDocument, SendMessageDocument,
  SetTypingDocument, SetPresenceDocument, SetIdleDocument, CreateGroupDocument, RenameConversationDocument,
  AddMembersDocument, RemoveMemberDocument, LeaveConversationDocument, BlockUserDocument, UnblockUserDocument,
  BlockedUsersDocument, SearchMessagesDocument, CancelContactRequestDocument, RemoveContactDocument,
  SetMemberRoleDocument, TransferOwnershipDocument,
} from '@/lib/api/operations';
import {
  activeTypists, applyMessage, applyMessageUpdate, applyPresence, applyReceipt, applyTyping, markReadLocally,
  removeConversation, upsertConversation, type Conversation, type Typist,
} from './conversations';
import {
  addPending, applyCreated, applyPage, applyUpdated, emptyTimeline, newClientId, newestSeq, oldestSeq, removePending,
  markPending, trimAround, type Timeline,
} from './message-store';
import { Outbox, type OutboxStorage } from './outbox';
import { makeSnapshot, type SnapshotStorage } from './snapshot';
import type { Message, PendingMessage, UserRef } from './types';

export type ContactRequest = ContactRequestFieldsFragment;
export type Person = UserFieldsFragment;

export type MyPresence = { status: 'ONLINE' | 'AWAY' | 'BUSY' | 'OFFLINE'; text: string | null };

export interface ChatState {
  status: 'loading' | 'ready' | 'failed';
  /** The presence I chose (ONLINE means automatic: online, away when idle). */
  presence: MyPresence;
  blocked: UserRef[];
  error: string | null;
  conversations: Conversation[];
  timelines: Readonly<Record<string, Timeline>>;
  typing: Readonly<Record<string, Typist[]>>;
  requests: ContactRequest[];
  contacts: Person[];
  openId: string | null;
  /** A message to bring into view and highlight (a search result); `n` changes on every request. */
  focus: { conversationId: string; seq: number; n: number } | null;
  typingTimeoutSeconds: number;
  awayAfterSeconds: number;
}

export interface Requester {
  request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R>;
}

export const PAGE = 50;
/** Past this many messages held in one conversation, the ones far from the view are dropped... */
export const HOLD_MAX = 1500;
/** ...keeping this many around it. */
export const HOLD_KEEP = 1000;

export class ChatClient {
  private state: ChatState = {
    status: 'loading', error: null, presence: { status: 'ONLINE', text: null }, blocked: [], conversations: [], timelines: {}, typing: {}, requests: [], contacts: [],
    openId: null, focus: null, typingTimeoutSeconds: 6, awayAfterSeconds: 300,
  };
  private listeners = new Set<() => void>();
  private loadingOlder = new Set<string>();
  private loadingNewer = new Set<string>();
  private focusCount = 0;
  /** Per conversation: bumped by every request that may replace the held range; older answers are dropped. */
  private epochs = new Map<string, number>();
  private revealing = new Set<string>();
  private fetchingConversation = new Set<string>();
  private typingSentAt = new Map<string, number>();
  private presenceChosen = false;
  private idle = false;
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingSends = new Map<string, Promise<void>>();
  private disposed = false;
  readonly outbox: Outbox;

  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  private stale = new Set<string>();
  private listVersion = 0;
  private requestVersion = 0;
  private requestSeen = new Map<string, { version: number; request: ContactRequest }>();
  private touched = new Map<string, number>();

  constructor(
    private readonly api: Requester,
    readonly me: UserRef,
    outboxStorage: OutboxStorage,
    private readonly now: () => number = () => Date.now(),
    private readonly snapshots: SnapshotStorage | null = null,
  ) {
    const saved = snapshots?.load();
    if (saved) {
      this.state = { ...this.state, conversations: saved.conversations, timelines: saved.timelines };
      // Shown at once, but refetched when opened online (edits and deletes since then are not replayed).
      for (const id of Object.keys(saved.timelines)) this.stale.add(id);
    }
    this.outbox = new Outbox(
      (p) => this.api.request(SendMessageDocument, {
        input: {
          conversationId: p.conversationId, clientId: p.clientId, body: p.body, replyToId: p.replyToId,
          ...(p.mentionIds?.length ? { mentionIds: p.mentionIds } : {}),
        },
      }).then((r) => r.sendMessage as Message),
      outboxStorage,
      {
        sent: (m) => this.onMessage(m),
        changed: (list) => this.syncPending(list),
      },
    );
    this.syncPending(this.outbox.pending);
  }

  getState = (): ChatState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Reads the event cursor, then the state. Resolves to the cursor to subscribe from (null if unknown). */
  async start(): Promise<string | null> {
    let cursor: string | null = null;
    try {
      cursor = (await this.api.request(EventCursorDocument, {})).eventCursor;
    } catch {
      cursor = null;
    }
    await this.reload();
    this.outbox.kick();
    return cursor;
  }

  /** Loads conversations, requests and contacts (also after reconnecting: presence is not replayed). */
  async reload(): Promise<void> {
    const listVersion = this.listVersion;
    const requestVersion = this.requestVersion;
    try {
      const data = await this.api.request(ChatStartDocument, {});
      let blocked: UserRef[] = this.state.blocked;
      try { blocked = (await this.api.request(BlockedUsersDocument, {})).blockedUsers; } catch { /* keep */ }
      const conversations = this.mergeFetched(data.conversations, listVersion);
      this.set({
        status: 'ready', error: null, conversations,
        // The server answers the effective presence (OFFLINE until this tab's socket is up, AWAY when
        // idle), so the status shown as chosen is this device's memory of the choice; the text is shared.
        presence: { status: this.presenceChosen ? this.state.presence.status : this.rememberedStatus(), text: data.me.presence?.text ?? null },
        requests: this.mergeRequests(data.contactRequests, requestVersion),
        contacts: data.contacts, blocked,
        awayAfterSeconds: data.presenceSettings.awayAfterSeconds,
        typingTimeoutSeconds: data.presenceSettings.typingTimeoutSeconds,
      });
      const open = this.state.openId;
      if (open && this.stale.has(open)) await this.open(open);
      else if (open && this.state.timelines[open]?.loaded) await this.fillNewer(open);
    } catch (e) {
      this.set({ status: this.state.status === 'ready' ? 'ready' : 'failed', error: humanMessage(e) });
    }
  }

  // ---------- events ----------

  handleEvent(ev: LiveEvent): void {
    switch (ev.__typename) {
      case 'MessageCreatedEvent':
        this.onMessage(ev.message as Message);
        this.clearTyping(ev.message.conversationId, ev.message.sender.id);
        return;
      case 'MessageEditedEvent':
      case 'MessageDeletedEvent':
      case 'ReactionEvent':
        this.onUpdate(ev.message as Message);
        return;
      case 'ReceiptEvent':
        this.setList(applyReceipt(this.state.conversations, ev.conversationId, ev.user.id, ev.readSeq, ev.deliveredSeq));
        return;
      case 'TypingEvent': {
        if (ev.user.id === this.me.id) return;
        const expires = Date.parse(ev.expiresAt);
        const list = applyTyping(this.state.typing[ev.conversationId] ?? [], ev.user, ev.typing, Number.isFinite(expires) ? expires : this.now() + 6000);
        this.set({ typing: { ...this.state.typing, [ev.conversationId]: list } });
        if (ev.typing) setTimeout(() => this.pruneTyping(ev.conversationId), Math.max(0, (expires || this.now() + 6000) - this.now()) + 50);
        return;
      }
      case 'PresenceEvent':
        this.setList(applyPresence(this.state.conversations, ev.user.id, ev.presence));
        this.set({
          contacts: this.state.contacts.map((c) => (c.id === ev.user.id ? { ...c, presence: ev.presence } : c)),
        });
        return;
      case 'ContactRequestEvent': {
        this.requestVersion += 1;
        this.requestSeen.set(ev.request.id, { version: this.requestVersion, request: ev.request });
        const rest = this.state.requests.filter((r) => r.id !== ev.request.id);
        this.set({ requests: ev.request.status === 'PENDING' ? [ev.request, ...rest] : rest });
        if (ev.request.status === 'ACCEPTED') void this.reload();
        return;
      }
      case 'ContactEvent':
      case 'BlockEvent':
        void this.reload();
        return;
      case 'MembershipEvent': {
        const gone = (ev.action === 'LEFT' || ev.action === 'REMOVED') && ev.users.some((u) => u.id === this.me.id);
        if (gone) {
          this.setList(removeConversation(this.state.conversations, ev.conversation.id));
          if (this.state.openId === ev.conversation.id) this.set({ openId: null });
          return;
        }
        this.setList(upsertConversation(this.state.conversations, ev.conversation));
        if (ev.systemMessage) this.onMessage(ev.systemMessage as Message);
        return;
      }
      default:
        return;
    }
  }

  private onMessage(m: Message): void {
    const t = this.state.timelines[m.conversationId];
    if (t) this.setTimeline(applyCreated(t, m));
    const list = applyMessage(this.state.conversations, m, this.me.id, this.visibleOpenId());
    if (list) this.setList(list);
    else void this.fetchConversation(m.conversationId);
    if (m.sender.id !== this.me.id && this.visibleOpenId() === m.conversationId) this.markRead(m.conversationId);
  }

  private onUpdate(m: Message): void {
    const t = this.state.timelines[m.conversationId];
    if (t) this.setTimeline(applyUpdated(t, m));
    this.setList(applyMessageUpdate(this.state.conversations, m));
  }

  private async fetchConversation(id: string): Promise<void> {
    if (this.fetchingConversation.has(id)) return;
    this.fetchingConversation.add(id);
    try {
      const { conversation } = await this.api.request(ConversationDocument, { id });
      this.setList(upsertConversation(this.state.conversations, conversation));
    } catch { /* it will show on the next reload */ } finally {
      this.fetchingConversation.delete(id);
    }
  }

  // ---------- conversations ----------

  private visibleOpenId(): string | null {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return null;
    return this.state.openId;
  }

  async open(id: string | null): Promise<void> {
    this.set({ openId: id });
    if (!id) return;
    if (this.revealing.has(id)) return; // reveal() loads what it shows
    if (!this.state.conversations.some((c) => c.id === id)) await this.fetchConversation(id);
    const t = this.state.timelines[id];
    if (!t?.loaded || this.stale.has(id) || t.hasNewer) {
      if (!(await this.loadNewest(id))) return;
    } else {
      await this.fillNewer(id);
    }
    this.markRead(id);
  }

  /** Loads the newest page (replacing a range back in history that it does not reach). */
  async loadNewest(id: string): Promise<boolean> {
    const epoch = this.bump(id);
    try {
      const { messages } = await this.api.request(MessagesDocument, { conversationId: id, limit: PAGE });
      if (this.epochs.get(id) !== epoch) return false; // a jump asked for another range meanwhile
      this.stale.delete(id);
      this.setTimeline(applyPage(this.state.timelines[id] ?? this.emptyWithPending(id), messages as Message[], 'newest', PAGE));
      return true;
    } catch (e) {
      this.set({ error: humanMessage(e) });
      return false;
    }
  }

  /** Drops messages far from `seq` (the one in view) when too many are held; they load again when scrolled to. */
  trim(id: string, seq: number): void {
    const t = this.state.timelines[id];
    if (!t || t.messages.length <= HOLD_MAX) return;
    this.setTimeline(trimAround(t, seq, HOLD_MAX, HOLD_KEEP));
  }

  /** Scrolling down a range that stops short of the newest message: the next page after it. */
  async loadNewer(id: string): Promise<void> {
    const t = this.state.timelines[id];
    if (!t || !t.hasNewer || this.loadingNewer.has(id)) return;
    this.loadingNewer.add(id);
    try {
      const { messages } = await this.api.request(MessagesDocument, { conversationId: id, afterSeq: newestSeq(t), limit: PAGE });
      this.setTimeline(applyPage(this.state.timelines[id]!, messages as Message[], 'newer', PAGE));
    } catch (e) {
      this.set({ error: humanMessage(e) });
    } finally {
      this.loadingNewer.delete(id);
    }
  }

  async loadOlder(id: string): Promise<void> {
    const t = this.state.timelines[id];
    if (!t || !t.hasOlder || this.loadingOlder.has(id)) return;
    this.loadingOlder.add(id);
    try {
      const { messages } = await this.api.request(MessagesDocument, { conversationId: id, beforeSeq: oldestSeq(t), limit: PAGE });
      this.setTimeline(applyPage(this.state.timelines[id]!, messages as Message[], 'older', PAGE));
    } catch (e) {
      this.set({ error: humanMessage(e) });
    } finally {
      this.loadingOlder.delete(id);
    }
  }

  /** Fetches what is newer than the newest message held (after a gap or a reconnect). */
  private async fillNewer(id: string): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const t = this.state.timelines[id];
      if (!t || t.hasNewer) return; // back in history: scrolling down loads the rest
      const c = this.state.conversations.find((x) => x.id === id);
      const from = t.gapAfter ?? newestSeq(t);
      if (t.gapAfter === null && c && c.lastSeq <= newestSeq(t)) return;
      const { messages } = await this.api.request(MessagesDocument, { conversationId: id, afterSeq: from, limit: PAGE });
      this.setTimeline(applyPage(this.state.timelines[id]!, messages as Message[], 'newer', PAGE));
      if (messages.length < PAGE) return;
    }
  }

  markRead(id: string): void {
    const c = this.state.conversations.find((x) => x.id === id);
    const t = this.state.timelines[id];
    const seq = Math.max(c?.lastSeq ?? 0, t ? newestSeq(t) : 0);
    if (seq <= 0) return;
    const mine = c?.members.find((m) => m.user.id === this.me.id);
    this.setList(markReadLocally(this.state.conversations, id));
    if (mine && mine.readSeq >= seq) return;
    this.setList(applyReceipt(this.state.conversations, id, this.me.id, seq, seq));
    this.api.request(MarkReadDocument, { conversationId: id, seq }).catch(() => {});
  }

  async startDirect(userId: string): Promise<string> {
    const { createDirectConversation: c } = await this.api.request(CreateDirectConversationDocument, { userId });
    this.setList(upsertConversation(this.state.conversations, c));
    return c.id;
  }

  // ---------- messages ----------

  send(conversationId: string, body: string, replyToId: string | null = null, mentionIds: string[] = []): void {
    const text = body.replace(/\s+$/, '');
    if (!text.trim()) return;
    const p: PendingMessage = {
      clientId: newClientId(), conversationId, sender: this.me, body: text, replyToId,
      mentionIds: mentionIds.length ? mentionIds : undefined, createdAt: new Date(this.now()).toISOString(), state: 'queued',
    };
    this.outbox.enqueue(p);
    this.typing(conversationId, false);
    if (this.state.timelines[conversationId]?.hasNewer) void this.loadNewest(conversationId);
  }

  retry(clientId: string): void { this.outbox.retry(clientId); }
  discard(clientId: string): void { this.outbox.discard(clientId); }

  async edit(id: string, body: string): Promise<void> {
    const { editMessage } = await this.api.request(EditMessageDocument, { id, body });
    this.onUpdate(editMessage as Message);
  }

  async remove(id: string): Promise<void> {
    const { deleteMessage } = await this.api.request(DeleteMessageDocument, { id });
    this.onUpdate(deleteMessage as Message);
  }

  async react(messageId: string, emoji: string, add: boolean): Promise<void> {
    const m = add
      ? (await this.api.request(AddReactionDocument, { messageId, emoji })).addReaction
      : (await this.api.request(RemoveReactionDocument, { messageId, emoji })).removeReaction;
    this.onUpdate(m as Message);
  }

  /** Tells the others I am typing (at most every 3 s), and that I stopped after 5 s of quiet. */
  typing(conversationId: string, typing: boolean): void {
    const last = this.typingSentAt.get(conversationId) ?? 0;
    const timer = this.typingTimers.get(conversationId);
    if (timer) clearTimeout(timer);
    if (typing) {
      if (this.now() - last > 3000) {
        this.typingSentAt.set(conversationId, this.now());
        this.sendTyping(conversationId, true);
      }
      this.typingTimers.set(conversationId, setTimeout(() => this.typing(conversationId, false), 5000));
    } else if (last) {
      this.typingSentAt.delete(conversationId);
      this.typingTimers.delete(conversationId);
      this.sendTyping(conversationId, false);
    }
  }

  /**
   * One setTyping at a time per conversation, in order: sent side by side, a
   * "typing" could reach the server after the "stopped" that followed it and
   * leave the others seeing "is typing…" until it expires.
   */
  private sendTyping(conversationId: string, typing: boolean): void {
    const prev = this.typingSends.get(conversationId) ?? Promise.resolve();
    const next = prev.then(() => this.api.request(SetTypingDocument, { conversationId, typing })).then(() => {}, () => {});
    this.typingSends.set(conversationId, next);
    void next.then(() => { if (this.typingSends.get(conversationId) === next) this.typingSends.delete(conversationId); });
  }

  // ---------- people ----------

  async searchPeople(query: string): Promise<Person[]> {
    const { searchUsers } = await this.api.request(SearchUsersDocument, { query });
    return searchUsers;
  }

  async requestContact(userId: string, note: string | null = null): Promise<void> {
    await this.api.request(RequestContactDocument, { userId, note: note?.trim() || null });
    await this.reload();
  }

  async cancelRequest(requestId: string): Promise<void> {
    await this.api.request(CancelContactRequestDocument, { requestId });
    this.set({ requests: this.state.requests.filter((r) => r.id !== requestId) });
  }

  async removeContact(userId: string): Promise<void> {
    await this.api.request(RemoveContactDocument, { userId });
    await this.reload();
  }

  async respond(requestId: string, accept: boolean): Promise<void> {
    await this.api.request(RespondContactDocument, { requestId, accept });
    this.set({ requests: this.state.requests.filter((r) => r.id !== requestId) });
    if (accept) await this.reload();
  }

  setOnline(online: boolean): void { this.outbox.setOnline(online); }

  // ---------- presence ----------

  async setPresence(status: MyPresence['status'], text: string | null): Promise<void> {
    const { setPresence } = await this.api.request(SetPresenceDocument, { status, text });
    this.presenceChosen = true;
    try { window.localStorage.setItem(`parley.presence.${this.me.id}`, status); } catch { /* not remembered */ }
    this.set({ presence: { status, text: setPresence.text } });
  }

  private rememberedStatus(): MyPresence['status'] {
    try {
      const v = window.localStorage.getItem(`parley.presence.${this.me.id}`);
      if (v === 'AWAY' || v === 'BUSY' || v === 'OFFLINE') return v;
    } catch { /* no storage */ }
    return 'ONLINE';
  }

  /** No input for presenceSettings.awayAfterSeconds (or input again): the server shows Away while ONLINE. */
  setIdle(idle: boolean): void {
    if (idle === this.idle) return;
    this.idle = idle;
    this.api.request(SetIdleDocument, { idle }).catch(() => { this.idle = !idle; });
  }

  get isIdle(): boolean { return this.idle; }

  // ---------- groups ----------

  async createGroup(title: string, memberIds: string[]): Promise<string> {
    const { createGroupConversation: c } = await this.api.request(CreateGroupDocument, { title, memberIds });
    this.setList(upsertConversation(this.state.conversations, c));
    return c.id;
  }

  async rename(id: string, title: string): Promise<void> {
    const { renameConversation: c } = await this.api.request(RenameConversationDocument, { id, title });
    this.setList(upsertConversation(this.state.conversations, c));
  }

  async addMembers(id: string, userIds: string[]): Promise<void> {
    const { addMembers: c } = await this.api.request(AddMembersDocument, { id, userIds });
    this.setList(upsertConversation(this.state.conversations, c));
  }

  async removeMember(id: string, userId: string): Promise<void> {
    const { removeMember: c } = await this.api.request(RemoveMemberDocument, { id, userId });
    this.setList(upsertConversation(this.state.conversations, c));
  }

  async setRole(id: string, userId: string, role: 'ADMIN' | 'MEMBER'): Promise<void> {
    const { setMemberRole: c } = await this.api.request(SetMemberRoleDocument, { id, userId, role });
    this.setList(upsertConversation(this.state.conversations, c));
  }

  /** The owner hands the group to `userId` and becomes an admin. */
  async transferOwnership(id: string, userId: string): Promise<void> {
    const { transferOwnership: c } = await this.api.request(TransferOwnershipDocument, { id, userId });
    this.setList(upsertConversation(this.state.conversations, c));
  }

  async leave(id: string): Promise<void> {
    await this.api.request(LeaveConversationDocument, { id });
    this.setList(removeConversation(this.state.conversations, id));
    if (this.state.openId === id) this.set({ openId: null });
  }

  // ---------- blocking and search ----------

  async block(userId: string, blocked: boolean): Promise<void> {
    if (blocked) await this.api.request(BlockUserDocument, { userId });
    else await this.api.request(UnblockUserDocument, { userId });
    await this.reload();
  }

  async searchMessages(query: string) {
    return (await this.api.request(SearchMessagesDocument, { query })).searchMessages;
  }

  /**
   * Opens a conversation at message `seq` (a search result) and asks the view
   * to highlight it. Held already: nothing to load. Up to two pages older
   * than the held range: those pages are loaded (no hole). Further back, or
   * nothing held: the page around it replaces the held range, and scrolling
   * loads older and newer pages from there.
   */
  async reveal(id: string, seq: number): Promise<void> {
    this.set({ openId: id, focus: null });
    this.revealing.add(id);
    const epoch = this.bump(id);
    try {
      await this.revealIn(id, seq, epoch);
    } finally {
      this.revealing.delete(id);
    }
  }

  private async revealIn(id: string, seq: number, epoch: number): Promise<void> {
    if (!this.state.conversations.some((c) => c.id === id)) await this.fetchConversation(id);
    const held = (t: Timeline | undefined) => !!t && t.messages.length > 0 && oldestSeq(t) <= seq && seq <= newestSeq(t);
    let t = this.state.timelines[id];
    const fresh = !!t?.loaded && !this.stale.has(id);
    if (fresh && t && !held(t) && seq < oldestSeq(t) && oldestSeq(t) - seq <= 2 * PAGE) {
      for (let i = 0; i < 3 && !held(t); i++) {
        await this.loadOlder(id);
        const after = this.state.timelines[id];
        if (after === t) break; // failed or nothing older
        t = after;
      }
    }
    if (!fresh || !held(this.state.timelines[id])) {
      try {
        const { messages } = await this.api.request(MessagesDocument, { conversationId: id, aroundSeq: seq, limit: PAGE });
        if (this.epochs.get(id) !== epoch) return;
        this.stale.delete(id);
        this.setTimeline(applyPage(this.state.timelines[id] ?? this.emptyWithPending(id), messages as Message[], 'around', PAGE, seq));
      } catch (e) {
        this.set({ error: humanMessage(e) });
        return;
      }
    }
    this.focusCount += 1;
    this.set({ focus: { conversationId: id, seq, n: this.focusCount } });
    this.markRead(id);
  }

  /** The view has shown the message of `focus` number n: it is not shown again (say, when the view remounts). */
  focusShown(n: number): void {
    if (this.state.focus?.n === n) this.set({ focus: null });
  }

  /**
   * Writes the offline copy now (the page is going away: a reload or a
   * closed tab within the second after a change would otherwise lose it).
   */
  flushSnapshot(): void {
    if (this.disposed || !this.snapshots) return;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    this.snapshots.save(makeSnapshot(this.state.conversations, this.state.timelines));
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.typingTimers.values()) clearTimeout(t);
    // A pending snapshot write is dropped: after a sign-out nothing may be written back.
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    this.outbox.setOnline(false);
  }

  // ---------- internals ----------

  private bump(id: string): number {
    const n = (this.epochs.get(id) ?? 0) + 1;
    this.epochs.set(id, n);
    return n;
  }

  private emptyWithPending(id: string): Timeline {
    let t = emptyTimeline(id);
    for (const p of this.outbox.pending) if (p.conversationId === id) t = addPending(t, p);
    return t;
  }

  /** Mirrors the outbox into the timelines (new, failed and sent messages). */
  private syncPending(list: readonly PendingMessage[]): void {
    const timelines = { ...this.state.timelines };
    const ids = new Set([...Object.keys(timelines), ...list.map((p) => p.conversationId)]);
    for (const id of ids) {
      let t = timelines[id] ?? emptyTimeline(id);
      const mine = list.filter((p) => p.conversationId === id);
      for (const p of t.pending) if (!mine.some((x) => x.clientId === p.clientId)) t = removePending(t, p.clientId);
      for (const p of mine) {
        t = addPending(t, p);
        t = markPending(t, p.clientId, p.state, p.error);
      }
      timelines[id] = t;
    }
    this.set({ timelines });
  }

  private pruneTyping(id: string): void {
    const list = this.state.typing[id] ?? [];
    const active = activeTypists(list, this.now());
    if (active.length !== list.length) this.set({ typing: { ...this.state.typing, [id]: active } });
  }

  private clearTyping(id: string, userId: string): void {
    const list = this.state.typing[id];
    if (list?.some((t) => t.user.id === userId)) {
      this.set({ typing: { ...this.state.typing, [id]: list.filter((t) => t.user.id !== userId) } });
    }
  }

  /**
   * Every change of the list outside reload() (events, mutations' answers)
   * is versioned, so that a reload whose answer was read before such a
   * change cannot undo it (see mergeFetched).
   */
  private setList(next: Conversation[]): void {
    const before = new Map(this.state.conversations.map((c) => [c.id, c]));
    this.listVersion += 1;
    for (const c of next) if (before.get(c.id) !== c) this.touched.set(c.id, this.listVersion);
    for (const id of before.keys()) if (!next.some((c) => c.id === id)) this.touched.set(id, this.listVersion);
    this.set({ conversations: next });
  }

  /** Pending requests from a reload, with requests changed by events since `version` laid over them. */
  private mergeRequests(fetched: readonly ContactRequest[], version: number): ContactRequest[] {
    const byId = new Map<string, ContactRequest>();
    for (const r of fetched) byId.set(r.id, r);
    for (const [id, seen] of this.requestSeen) if (seen.version > version) byId.set(id, seen.request);
    return [...byId.values()].filter((r) => r.status === 'PENDING').sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  /** The fetched list, with what changed since `version` (when the fetch began) laid over it. */
  private mergeFetched(fetched: readonly Conversation[], version: number): Conversation[] {
    const current = new Map(this.state.conversations.map((c) => [c.id, c]));
    let list: Conversation[] = [];
    for (const c of fetched) {
      const changed = (this.touched.get(c.id) ?? 0) > version;
      if (changed && !current.has(c.id)) continue; // removed since the fetch began
      list = upsertConversation(list, c);
      if (changed) list = upsertConversation(list, current.get(c.id)!);
    }
    for (const c of current.values()) {
      if ((this.touched.get(c.id) ?? 0) > version && !fetched.some((f) => f.id === c.id)) list = upsertConversation(list, c);
    }
    return list;
  }

  private setTimeline(t: Timeline): void {
    this.set({ timelines: { ...this.state.timelines, [t.conversationId]: t } });
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
    if (this.snapshots && (patch.conversations || patch.timelines) && !this.snapshotTimer) {
      this.snapshotTimer = setTimeout(() => {
        this.snapshotTimer = null;
        this.snapshots?.save(makeSnapshot(this.state.conversations, this.state.timelines));
      }, 1000);
    }
  }
}

export { ApiError };
