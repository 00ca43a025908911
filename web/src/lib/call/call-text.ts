// How a finished call reads in the timeline and the conversation list, the
// way Skype words it: "Call, 3:12", "Missed video call", "Call declined".
export interface CallSummaryLike {
  video: boolean;
  result: 'COMPLETED' | 'MISSED' | 'DECLINED' | 'BUSY' | 'CANCELLED';
  durationSeconds: number;
}

/** 0:42, 3:12, 1:02:03. */
export function callDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `mine`: the reader placed the call. */
export function callText(c: CallSummaryLike, mine: boolean): string {
  const kind = c.video ? 'Video call' : 'Call';
  switch (c.result) {
    case 'COMPLETED': return `${kind}, ${callDuration(c.durationSeconds)}`;
    case 'DECLINED': return `${kind} declined`;
    case 'BUSY': return mine ? `${kind}: busy` : `Missed ${kind.toLowerCase()} (busy)`;
    case 'MISSED': return mine ? `${kind}, no answer` : `Missed ${kind.toLowerCase()}`;
    default: return mine ? `${kind} cancelled` : `Missed ${kind.toLowerCase()}`;
  }
}
