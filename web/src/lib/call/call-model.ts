// Pure helpers of the call screen: whose stream is whose, the tiles of the
// grid, the loss figure behind the "poor connection" notice.
import type { Call } from './call-hub';

export type Participant = Call['participants'][number];

/**
 * The SFU names the streams it sends: a participant's microphone and camera
 * come in the stream whose id is the participant id, a screen share in
 * "<participantId>.screen".
 */
export function streamOwner(streamId: string): { participantId: string; screen: boolean } {
  return streamId.endsWith('.screen')
    ? { participantId: streamId.slice(0, -'.screen'.length), screen: true }
    : { participantId: streamId, screen: false };
}

export interface Tile<S> {
  participant: Participant;
  /** Microphone and camera (null until the SFU's offer brought them). */
  stream: S | null;
  /** The screen share, while the participant shares. */
  screen: S | null;
  speaking: boolean;
  self: boolean;
}

/**
 * The grid: every participant of the call in joining order, this device
 * first; remote media matched by stream id. Streams of people no longer in
 * the call are left out (their sections turn inactive).
 */
export function tiles<S>(call: Call, selfId: string | null, remote: Readonly<Record<string, S>>): Tile<S>[] {
  const out: Tile<S>[] = [];
  for (const p of call.participants) {
    const self = p.id === selfId;
    const tile: Tile<S> = {
      participant: p,
      stream: self ? null : remote[p.id] ?? null,
      screen: !self && p.screenSharing ? remote[`${p.id}.screen`] ?? null : null,
      speaking: call.activeSpeakerId === p.id,
      self,
    };
    if (self) out.unshift(tile);
    else out.push(tile);
  }
  return out;
}

/** Who the call is with, for "Calling <name>…" and the incoming dialog. */
export function callPeerName(call: Call, me: string, conversationTitle: string | null): string {
  if (call.caller.id !== me) return call.caller.displayName;
  return conversationTitle ?? 'your contact';
}

export interface LossSample {
  received: number;
  lost: number;
}

/** Sums inbound RTP counters of a getStats() report (audio and video). */
export function inboundTotals(report: Iterable<{ type: string; packetsReceived?: number; packetsLost?: number }>): LossSample {
  let received = 0;
  let lost = 0;
  for (const s of report) {
    if (s.type !== 'inbound-rtp') continue;
    received += s.packetsReceived ?? 0;
    lost += Math.max(0, s.packetsLost ?? 0);
  }
  return { received, lost };
}

/** The fraction of packets lost between two samples (0 when nothing was expected). */
export function lossBetween(before: LossSample, after: LossSample): number {
  const received = after.received - before.received;
  const lost = after.lost - before.lost;
  const expected = received + lost;
  return expected > 0 && lost > 0 ? lost / expected : 0;
}

export type Quality = 'good' | 'poor' | 'reconnecting';

/** The notice to show from the connections' states and the recent loss. */
export function qualityOf(states: (RTCPeerConnectionState | undefined)[], loss: number): Quality {
  if (states.some((s) => s === 'disconnected' || s === 'failed')) return 'reconnecting';
  return loss > 0.05 ? 'poor' : 'good';
}
