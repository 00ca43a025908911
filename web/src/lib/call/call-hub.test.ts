import { describe, expect, it } from 'vitest';
import type { TypedDocumentString } from '@/gql/graphql';
import { CallHub, mergeCall, ringingFor, type Call, type CallOffer } from './call-hub';
import { ADA, BOB, call, participant } from './call-test-fixtures';

describe('mergeCall', () => {
  it('keeps calls until they end, and an ended call never comes back', () => {
    const ended = new Set<string>();
    let calls = mergeCall({}, ended, call());
    expect(Object.keys(calls)).toEqual(['K1']);
    calls = mergeCall(calls, ended, call({ state: 'ONGOING' }));
    expect(calls.K1!.state).toBe('ONGOING');
    calls = mergeCall(calls, ended, call({ state: 'ENDED', result: 'COMPLETED' }));
    expect(calls).toEqual({});
    // A late copy of an older state (a mutation's answer, a reload) is ignored.
    calls = mergeCall(calls, ended, call({ state: 'ONGOING' }));
    expect(calls).toEqual({});
  });
});

describe('ringingFor', () => {
  it('lists the calls ringing for me that are not on my screen already', () => {
    const hub = new CallHub(BOB.id);
    hub.onCall(call());
    hub.onCall(call({ id: 'K2', conversationId: 'C2', ringing: [] }));
    expect(ringingFor(hub.getState(), BOB.id, null).map((c) => c.id)).toEqual(['K1']);
    expect(ringingFor(hub.getState(), BOB.id, 'K1')).toEqual([]);
    expect(ringingFor(hub.getState(), ADA.id, null)).toEqual([]);
    // Accepted on another device: my devices stop ringing.
    hub.onCall(call({ state: 'ONGOING', ringing: [], participants: [participant('PA', ADA), participant('PB', BOB)] }));
    expect(ringingFor(hub.getState(), BOB.id, null)).toEqual([]);
  });
});

class Api {
  pending: ((v: unknown) => void)[] = [];
  async request<R, V>(_doc: TypedDocumentString<R, V>, _v: V): Promise<R> {
    return new Promise((resolve) => this.pending.push(resolve as (v: unknown) => void));
  }
}

describe('CallHub', () => {
  it("a mutation's answer does not overwrite an event that came after it was sent", () => {
    const hub = new CallHub(ADA.id);
    hub.onCall(call());
    const v = hub.version('K1');
    hub.onCall(call({ state: 'ONGOING', participants: [participant('PA', ADA), participant('PB', BOB)] }));
    hub.applyAnswer(call({ participants: [participant('PA', ADA, { muted: true })] }), v);
    expect(hub.getState().calls.K1!.state).toBe('ONGOING');
    expect(hub.getState().calls.K1!.participants).toHaveLength(2);
    // Without a newer event the answer applies.
    hub.applyAnswer(call({ state: 'ONGOING', participants: [participant('PA', ADA, { muted: true })] }), hub.version('K1'));
    expect(hub.getState().calls.K1!.participants[0]!.muted).toBe(true);
  });

  it('remembers the last state of an ended call for the screen that shows why', () => {
    const hub = new CallHub(ADA.id);
    hub.onCall(call());
    hub.onCall(call({ state: 'ENDED', result: 'MISSED', ringing: [] }));
    expect(hub.getState().calls).toEqual({});
    expect(hub.endedCall('K1')?.result).toBe('MISSED');
  });

  it('reload replaces the list with activeCalls but keeps what events changed meanwhile', async () => {
    const hub = new CallHub(BOB.id);
    hub.onCall(call({ id: 'OLD', conversationId: 'C9' }));
    hub.onCall(call({ id: 'K2', conversationId: 'C2' }));
    const api = new Api();
    const done = hub.reload(api);
    // While the query runs: K1 starts, K2 ends.
    hub.onCall(call({ id: 'K1' }));
    hub.onCall(call({ id: 'K2', conversationId: 'C2', state: 'ENDED', result: 'MISSED' }));
    api.pending[0]!({ activeCalls: [call({ id: 'K2', conversationId: 'C2' })] satisfies Call[] });
    await done;
    expect(Object.keys(hub.getState().calls).sort()).toEqual(['K1']);
  });

  it('keeps offers until the call screen takes them, one per participant, in order', () => {
    const hub = new CallHub(ADA.id);
    const o = (participantId: string, sdp: string): CallOffer => ({ callId: 'K1', participantId, sdp });
    hub.onOffer(o('PA', 'v=0 first'));
    hub.onOffer(o('PX', 'v=0 other device'));
    const taken: string[] = [];
    let mine: string | null = null;
    const listener = (offer: CallOffer) => {
      if (offer.participantId !== mine) return false;
      taken.push(offer.sdp);
      return true;
    };
    hub.listenOffers(listener); // the joining mutation has not answered yet
    expect(taken).toEqual([]);
    mine = 'PA';
    hub.listenOffers(listener); // now it knows: queued offers are drained
    expect(taken).toEqual(['v=0 first']);
    hub.onOffer(o('PA', 'v=0 second'));
    expect(taken).toEqual(['v=0 first', 'v=0 second']);
    // The other device's offer is still queued for whoever it is.
    const other: string[] = [];
    hub.listenOffers((offer) => { other.push(offer.sdp); return true; });
    expect(other).toEqual(['v=0 other device']);
  });
});
