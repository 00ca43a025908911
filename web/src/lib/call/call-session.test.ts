import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TypedDocumentString } from '@/gql/graphql';
import { CallHub, type Call } from './call-hub';
import { CallSession, endedText, type SessionDeps } from './call-session';
import { ADA, BOB, call, participant } from './call-test-fixtures';

const flush = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0)); };

// Fakes of the browser parts a session drives: enough of RTCPeerConnection,
// MediaStream and the media devices to follow what the session does.
class FakeTrack {
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  onended: (() => void) | null = null;
  constructor(readonly kind: 'audio' | 'video', readonly id = `${kind}-${Math.random().toString(36).slice(2, 7)}`) {}
  stop() { this.readyState = 'ended'; }
  getSettings() { return { deviceId: `${this.kind}-device` }; }
}

class FakeStream {
  onremovetrack: (() => void) | null = null;
  constructor(readonly id: string, private tracks: FakeTrack[]) {}
  getTracks() { return this.tracks; }
  getAudioTracks() { return this.tracks.filter((t) => t.kind === 'audio'); }
  getVideoTracks() { return this.tracks.filter((t) => t.kind === 'video'); }
  addTrack(t: FakeTrack) { this.tracks.push(t); }
  removeTrack(t: FakeTrack) { this.tracks = this.tracks.filter((x) => x !== t); }
}

class FakeTransceiver {
  mid: string | null = null;
  readonly sender: { track: FakeTrack | null; replaceTrack: (t: FakeTrack | null) => Promise<void> };
  constructor(track: FakeTrack, readonly direction: string) {
    this.sender = { track, replaceTrack: async (t) => { this.sender.track = t; } };
  }
}

class FakePC {
  static all: FakePC[] = [];
  log: string[] = [];
  transceivers: FakeTransceiver[] = [];
  localDescription: { type: string; sdp: string } | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  ontrack: ((e: unknown) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  closed = false;
  private n = 0;
  constructor(readonly config: RTCConfiguration) { FakePC.all.push(this); }
  addTransceiver(track: FakeTrack, init: { direction: string }) {
    const t = new FakeTransceiver(track, init.direction);
    this.transceivers.push(t);
    this.log.push(`add ${track.kind} ${init.direction}`);
    return t;
  }
  async createOffer() { this.n += 1; return { type: 'offer', sdp: `offer${this.n} m=${this.transceivers.map((t) => t.sender.track?.kind ?? 'none').join(',')}` }; }
  async createAnswer() { this.n += 1; return { type: 'answer', sdp: `answer${this.n}` }; }
  async setLocalDescription(d: { type: string; sdp: string }) {
    this.transceivers.forEach((t, i) => { t.mid ??= String(i); });
    this.localDescription = d;
    this.log.push(`local ${d.type}`);
  }
  async setRemoteDescription(d: { type: string; sdp: string }) { this.log.push(`remote ${d.type} ${d.sdp}`); }
  async getStats() { return new Map(); }
  close() { this.closed = true; }
}

type Handler = (v: Record<string, unknown>) => unknown;

class FakeApi {
  calls: { op: string; v: Record<string, unknown> }[] = [];
  handlers: Record<string, Handler> = {};
  gates: Record<string, Promise<void>> = {};
  async request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
    const op = /(?:query|mutation)\s+(\w+)/.exec(doc.toString())?.[1] ?? '?';
    const v = variables as Record<string, unknown>;
    this.calls.push({ op, v });
    await this.gates[op];
    await Promise.resolve();
    const h = this.handlers[op];
    if (!h) throw new Error(`unexpected ${op}`);
    return h(v) as R;
  }
  ops() { return this.calls.map((c) => c.op); }
}

function setup(me = ADA.id) {
  FakePC.all = [];
  const api = new FakeApi();
  const hub = new CallHub(me);
  const media = {
    requests: [] as MediaStreamConstraints[],
    async getUserMedia(c: MediaStreamConstraints) {
      this.requests.push(c);
      const tracks = [c.audio ? new FakeTrack('audio') : null, c.video ? new FakeTrack('video') : null].filter((t): t is FakeTrack => !!t);
      return new FakeStream('local', tracks) as unknown as MediaStream;
    },
    async getDisplayMedia() { return new FakeStream('screen', [new FakeTrack('video')]) as unknown as MediaStream; },
    async enumerateDevices() {
      return [{ kind: 'audioinput', deviceId: 'audio-device', label: '' }, { kind: 'videoinput', deviceId: 'video-device', label: 'Front camera' }] as MediaDeviceInfo[];
    },
  };
  const deps: SessionDeps = {
    api, hub, media, statsIntervalMs: 0,
    newPeerConnection: (c) => new FakePC(c) as unknown as RTCPeerConnection,
  };
  api.handlers.IceServers = () => ({ iceServers: [{ __typename: 'IceServer', urls: ['turn:example.test:3478'], username: '1:UA', credential: 'secret', expiresAt: 'x' }] });
  const joined = (c: Call) => ({ participantId: 'PA', answer: 'sfu-answer', call: c });
  api.handlers.StartCall = () => ({ startCall: joined(call()) });
  api.handlers.AnswerCallOffer = () => ({ answerCallOffer: true });
  api.handlers.SetCallMedia = (v) => ({ setCallMedia: call({ participants: [participant('PA', ADA, v.input as object)] }) });
  api.handlers.LeaveCall = () => ({ leaveCall: call({ state: 'ENDED', result: 'CANCELLED' }) });
  api.handlers.PublishCallMedia = () => ({ publishCallMedia: 'sfu-answer-2' });
  return { api, hub, deps, media };
}

afterEach(() => { vi.useRealTimers(); });

describe('CallSession', () => {
  it('starts a video call: media, ICE servers, a sendonly offer on startCall, the SFU answer applied', async () => {
    const { api, hub, deps } = setup();
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, true);
    expect(hub.getState().engaged).toBe(true);
    await s.connect();
    const [pub] = FakePC.all;
    expect(pub!.config).toEqual({ bundlePolicy: 'max-bundle', iceServers: [{ urls: ['turn:example.test:3478'], username: '1:UA', credential: 'secret' }] });
    expect(pub!.log).toEqual(['add audio sendonly', 'add video sendonly', 'local offer', 'remote answer sfu-answer']);
    const start = api.calls.find((c) => c.op === 'StartCall')!;
    expect(start.v).toEqual({ input: { conversationId: 'C1', video: true, offer: 'offer1 m=audio,video' } });
    expect(s.getState()).toMatchObject({ phase: 'joined', callId: 'K1', participantId: 'PA', cameraOn: true });
    expect(hub.currentId).toBe('K1');
  });

  it('answers the SFU offers in order, including one that came before startCall answered', async () => {
    const { api, hub, deps } = setup();
    let open!: () => void;
    api.gates.StartCall = new Promise<void>((r) => { open = r; });
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, false);
    const done = s.connect();
    await flush();
    hub.onOffer({ callId: 'K1', participantId: 'PA', sdp: 'sfu-offer-1' });
    expect(FakePC.all).toHaveLength(1); // not yet: the participant id is unknown
    let release!: () => void;
    api.gates.AnswerCallOffer = new Promise<void>((r) => { release = r; });
    open();
    await done;
    await flush();
    const sub = FakePC.all[1]!;
    expect(sub.log).toEqual(['remote offer sfu-offer-1', 'local answer']);
    // A second offer waits until the first answer went out.
    hub.onOffer({ callId: 'K1', participantId: 'PA', sdp: 'sfu-offer-2' });
    await flush();
    expect(sub.log).toHaveLength(2);
    release();
    await flush();
    expect(sub.log).toEqual(['remote offer sfu-offer-1', 'local answer', 'remote offer sfu-offer-2', 'local answer']);
    expect(api.calls.filter((c) => c.op === 'AnswerCallOffer').map((c) => c.v)).toEqual([
      { callId: 'K1', participantId: 'PA', sdp: 'answer1' },
      { callId: 'K1', participantId: 'PA', sdp: 'answer2' },
    ]);
    // Another device's offers are not ours.
    hub.onOffer({ callId: 'K1', participantId: 'PX', sdp: 'not-mine' });
    await flush();
    expect(sub.log).toHaveLength(4);
    expect(s.getState().phase).toBe('joined');
  });

  it('keys remote streams by stream id and drops them when their tracks end', async () => {
    const { hub, deps } = setup();
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, false);
    await s.connect();
    hub.onOffer({ callId: 'K1', participantId: 'PA', sdp: 'o' });
    await flush();
    const sub = FakePC.all[1]!;
    const bobCam = new FakeStream('PB', [new FakeTrack('audio'), new FakeTrack('video')]);
    const bobScreen = new FakeStream('PB.screen', [new FakeTrack('video')]);
    sub.ontrack!({ streams: [bobCam], track: bobCam.getTracks()[0] });
    sub.ontrack!({ streams: [bobScreen], track: bobScreen.getTracks()[0] });
    expect(Object.keys(s.getState().remote).sort()).toEqual(['PB', 'PB.screen']);
    bobScreen.getTracks()[0]!.stop();
    bobScreen.onremovetrack!();
    expect(Object.keys(s.getState().remote)).toEqual(['PB']);
  });

  it('mute disables the microphone and tells everyone; camera on in an audio call publishes again', async () => {
    const { api, deps } = setup();
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, false);
    await s.connect();
    await s.toggleMute();
    expect(s.getState().local!.getAudioTracks()[0]!.enabled).toBe(false);
    expect(api.calls.at(-1)).toEqual({ op: 'SetCallMedia', v: { input: { callId: 'K1', participantId: 'PA', muted: true } } });
    await s.toggleCamera();
    const pub = FakePC.all[0]!;
    expect(pub.log.slice(-3)).toEqual(['add video sendonly', 'local offer', 'remote answer sfu-answer-2']);
    expect(api.calls.find((c) => c.op === 'PublishCallMedia')!.v).toEqual({ input: { callId: 'K1', participantId: 'PA', offer: 'offer2 m=audio,video' } });
    expect(api.calls.at(-1)!.v).toEqual({ input: { callId: 'K1', participantId: 'PA', cameraOn: true } });
    // Off and on again: the same transceiver, no new offer.
    await s.toggleCamera();
    expect(pub.transceivers[1]!.sender.track).toBeNull();
    await s.toggleCamera();
    expect(pub.transceivers[1]!.sender.track).not.toBeNull();
    expect(api.ops().filter((o) => o === 'PublishCallMedia')).toHaveLength(1);
  });

  it('shares the screen as a second video section named by screenMid', async () => {
    const { api, deps } = setup();
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, true);
    await s.connect();
    await s.toggleScreen();
    const publish = api.calls.find((c) => c.op === 'PublishCallMedia')!;
    expect(publish.v).toEqual({ input: { callId: 'K1', participantId: 'PA', offer: 'offer2 m=audio,video,video', screenMid: '2' } });
    expect(s.getState().screenSharing).toBe(true);
    // The browser's own "Stop sharing" ends the track.
    const track = s.getState().screen!.getVideoTracks()[0] as unknown as FakeTrack;
    track.onended!();
    await flush();
    expect(s.getState().screenSharing).toBe(false);
    expect(api.calls.at(-1)!.v).toEqual({ input: { callId: 'K1', participantId: 'PA', screenSharing: false } });
  });

  it('ends when the call ends, saying why, and closes both connections', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const { hub, deps } = setup();
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, false);
    const connecting = s.connect();
    await vi.advanceTimersByTimeAsync(0);
    await connecting;
    hub.onOffer({ callId: 'K1', participantId: 'PA', sdp: 'o' });
    await vi.advanceTimersByTimeAsync(0);
    hub.onCall(call({ state: 'ENDED', result: 'MISSED', ringing: [] }));
    expect(s.getState()).toMatchObject({ phase: 'ended', endedText: 'No answer' });
    await vi.advanceTimersByTimeAsync(0);
    expect(FakePC.all.every((p) => p.closed)).toBe(true);
    expect((s.getState().local?.getTracks() ?? []).every((t) => t.readyState === 'ended')).toBe(true);
    expect(hub.getState().engaged).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(hub.getState().engaged).toBe(false);
  });

  it('hang up leaves the call; hanging up while joining leaves once joined', async () => {
    const { api, deps } = setup();
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, false);
    await s.connect();
    let openAtLeave: boolean[] = [];
    api.handlers.LeaveCall = () => { openAtLeave = FakePC.all.map((p) => !p.closed); return { leaveCall: call({ state: 'ENDED' }) }; };
    await s.hangUp();
    expect(api.calls.at(-1)).toEqual({ op: 'LeaveCall', v: { callId: 'K1', participantId: 'PA' } });
    expect(s.getState().phase).toBe('ended');
    // Left before closing: a connection closed first would read as a lost one.
    expect(openAtLeave).toEqual([true]);
    await flush();
    expect(FakePC.all.every((p) => p.closed)).toBe(true);

    const second = setup();
    let open!: () => void;
    second.api.gates.StartCall = new Promise<void>((r) => { open = r; });
    const t = new CallSession(second.deps, { kind: 'start', conversationId: 'C1' }, false);
    const joining = t.connect();
    await flush();
    await t.hangUp();
    open();
    await joining;
    expect(second.api.ops()).toEqual(['IceServers', 'StartCall', 'LeaveCall']);
  });

  it('accepting joins with acceptCall; being dropped from the participants ends the screen', async () => {
    const { api, hub, deps } = setup(BOB.id);
    const ringing = call();
    hub.onCall(ringing);
    const ongoing = call({ state: 'ONGOING', ringing: [], participants: [participant('PA', ADA), participant('PB', BOB)] });
    api.handlers.AcceptCall = () => ({ acceptCall: { participantId: 'PB', answer: 'a', call: ongoing } });
    const s = new CallSession(deps, { kind: 'accept', call: ringing }, true);
    await s.connect();
    expect(api.calls.find((c) => c.op === 'AcceptCall')!.v).toEqual({ input: { callId: 'K1', offer: 'offer1 m=audio,video' } });
    expect(s.getState().connectedAt).not.toBeNull();
    hub.onCall(call({ state: 'ONGOING', ringing: [], participants: [participant('PA', ADA)] }));
    expect(s.getState()).toMatchObject({ phase: 'ended', endedText: 'You left the call' });
  });

  it('falls back to sound only when the camera cannot be used', async () => {
    const { deps, media } = setup();
    const real = media.getUserMedia.bind(media);
    media.getUserMedia = async (c) => { if (c.video) throw Object.assign(new Error('no camera'), { name: 'NotFoundError' }); return real(c); };
    const s = new CallSession(deps, { kind: 'start', conversationId: 'C1' }, true);
    await s.connect();
    expect(s.getState()).toMatchObject({ phase: 'joined', cameraOn: false });
  });
});

describe('endedText', () => {
  it('says why, from where the reader stands', () => {
    expect(endedText(call({ state: 'ENDED', result: 'MISSED' }), ADA.id)).toBe('No answer');
    expect(endedText(call({ state: 'ENDED', result: 'MISSED' }), BOB.id)).toBe('Missed call');
    expect(endedText(call({ state: 'ENDED', result: 'DECLINED' }), ADA.id)).toBe('Call declined');
    expect(endedText(call({ state: 'ENDED', result: 'BUSY' }), ADA.id)).toBe('Busy: they are in another call');
    expect(endedText(null, ADA.id)).toBe('Call ended');
  });
});
