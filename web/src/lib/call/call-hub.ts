// What the tab knows about calls, fed by the live events: the calls ringing
// or in progress in my conversations (CallEvent, activeCalls) and the SFU's
// offers for this device (CallOfferEvent) until the call screen takes them.
// Part of the first load (it must hear a call ring), so it stays small; the
// call screen and its WebRTC logic (call-session.ts) load on demand.
import type { CallFieldsFragment, TypedDocumentString } from '@/gql/graphql';
import { ActiveCallsDocument } from '@/lib/api/operations';

export type Call = CallFieldsFragment;

export interface CallOffer {
  callId: string;
  participantId: string;
  sdp: string;
}

export interface CallHubState {
  /** Calls not ENDED, by id. */
  calls: Readonly<Record<string, Call>>;
  /** The call screen is busy with a call on this device (outgoing, connecting or in it). */
  engaged: boolean;
}

/**
 * Merges a call's new state. Events carry the whole call in stream order;
 * an ENDED call never comes back (a late copy of an older state is
 * ignored), and `ended` remembers those ids.
 */
export function mergeCall(calls: Readonly<Record<string, Call>>, ended: Set<string>, call: Call): Readonly<Record<string, Call>> {
  if (ended.has(call.id)) return calls;
  const rest = { ...calls };
  if (call.state === 'ENDED') {
    ended.add(call.id);
    delete rest[call.id];
    return rest;
  }
  rest[call.id] = call;
  return rest;
}

/** Calls ringing for me now (not on this device's screen already). */
export function ringingFor(state: CallHubState, me: string, currentId: string | null): Call[] {
  return Object.values(state.calls).filter((c) => c.id !== currentId && c.ringing.some((u) => u.id === me));
}

interface Requester {
  request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R>;
}

const MAX_OFFERS = 32;

export class CallHub {
  private state: CallHubState = { calls: {}, engaged: false };
  private listeners = new Set<() => void>();
  private ended = new Set<string>();
  /** Bumped per call on each event, so an older answer cannot overwrite a newer event. */
  private versions = new Map<string, number>();
  private endedCopies = new Map<string, Call>();
  private offers: CallOffer[] = [];
  private offerListener: ((o: CallOffer) => boolean) | null = null;
  /** The call this device's screen is in (set by the call screen). */
  currentId: string | null = null;

  constructor(readonly me: string) {}

  getState = (): CallHubState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private set(next: Partial<CallHubState>): void {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }

  setEngaged(engaged: boolean): void {
    if (engaged !== this.state.engaged) this.set({ engaged });
  }

  /** A CallEvent: the call's whole state after a change. */
  onCall(call: Call): void {
    this.versions.set(call.id, (this.versions.get(call.id) ?? 0) + 1);
    this.merge(call);
  }

  private merge(call: Call): void {
    if (call.state === 'ENDED' && !this.ended.has(call.id)) this.endedCopies.set(call.id, call);
    this.set({ calls: mergeCall(this.state.calls, this.ended, call) });
  }

  /** The last state of an ENDED call, if this tab saw it end. */
  endedCall(id: string): Call | undefined {
    return this.endedCopies.get(id);
  }

  /** A token to pass to applyAnswer for a mutation about to be sent. */
  version(callId: string): number {
    return this.versions.get(callId) ?? 0;
  }

  /** A mutation's copy of the call: applied unless an event came after the mutation was sent. */
  applyAnswer(call: Call, versionBefore: number): void {
    if (this.version(call.id) !== versionBefore) return;
    this.merge(call);
  }

  /** Replaces the list with Query.activeCalls (at start and after reconnecting: CallEvents are not replayed). */
  async reload(api: Requester): Promise<void> {
    const before = new Map(this.versions);
    const { activeCalls } = await api.request(ActiveCallsDocument, {});
    let calls: Record<string, Call> = {};
    for (const c of activeCalls) calls = { ...mergeCall(calls, this.ended, c) };
    // A call that changed by event while the query ran keeps the event's copy.
    for (const [id, v] of this.versions) {
      if (before.get(id) === v) continue;
      const live = this.state.calls[id];
      if (live) calls[id] = live;
      else delete calls[id];
    }
    this.set({ calls });
  }

  /** A CallOfferEvent: handed to the call screen, or kept until it asks. */
  onOffer(offer: CallOffer): void {
    if (this.offerListener?.(offer)) return;
    this.offers = [...this.offers.filter((o) => o.participantId !== offer.participantId), offer].slice(-MAX_OFFERS);
  }

  /**
   * The call screen's offer handler (null to stop). It returns true for the
   * offers it takes; the others stay queued (a CallOfferEvent can arrive
   * before the mutation that joined tells which participant this device is).
   */
  listenOffers(listener: ((o: CallOffer) => boolean) | null): void {
    this.offerListener = listener;
    if (!listener) return;
    const kept: CallOffer[] = [];
    for (const o of this.offers) if (!listener(o)) kept.push(o);
    this.offers = kept;
  }
}
