// One call on this device: the two WebRTC connections to Parley's SFU and
// the call mutations. Framework-free (React reads it through
// subscribe/getState); loaded on demand with the call screen.
//
// - "publish" connection: this device offers its microphone (and camera,
//   and later a screen share) as sendonly transceivers; the offer rides on
//   startCall/acceptCall/joinCall, later ones on publishCallMedia, and the
//   SFU's answer comes back in the mutation's result.
// - "subscribe" connection: the SFU offers everyone else's media
//   (CallOfferEvent for this participant), this device answers with
//   answerCallOffer. Offers are handled one at a time, in order; one that
//   arrives before the joining mutation has told this device its
//   participant id waits in the CallHub.
// - Remote streams are keyed by MediaStream id: the publishing
//   participant's id, or "<id>.screen" for a screen share.
import type { TypedDocumentString } from '@/gql/graphql';
import {
  AcceptCallDocument, AnswerCallOfferDocument, DeclineCallDocument, EndCallDocument, IceServersDocument, JoinCallDocument,
  LeaveCallDocument, PublishCallMediaDocument, SetCallMediaDocument, StartCallDocument,
} from '@/gql/graphql';
import { humanMessage } from '@/lib/api/errors';
import type { Call, CallHub, CallOffer } from './call-hub';
import { inboundTotals, lossBetween, qualityOf, type LossSample, type Quality } from './call-model';

export interface Requester {
  request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R>;
}

export interface MediaSource {
  getUserMedia(c: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia(c: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
}

export interface SessionDeps {
  api: Requester;
  hub: CallHub;
  media: MediaSource;
  newPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** How often connection quality is sampled (ms); 0 turns it off (tests). */
  statsIntervalMs?: number;
}

export interface Device {
  id: string;
  label: string;
}

export interface SessionState {
  /** preparing: media and the joining mutation; joined: in the call (ringing or ongoing); ended: over. */
  phase: 'preparing' | 'joined' | 'ended';
  conversationId: string;
  callId: string | null;
  participantId: string | null;
  /** The call as last known (null while preparing a new call). */
  call: Call | null;
  muted: boolean;
  cameraOn: boolean;
  screenSharing: boolean;
  /** This device's microphone and camera. */
  local: MediaStream | null;
  screen: MediaStream | null;
  /** Remote streams by MediaStream id. */
  remote: Readonly<Record<string, MediaStream>>;
  quality: Quality;
  /** When the call became ONGOING for this device (local clock), for the timer. */
  connectedAt: number | null;
  error: string | null;
  /** Why it ended, in words ("Call ended", "No answer", ...). */
  endedText: string | null;
  devices: { audioinput: Device[]; videoinput: Device[]; audiooutput: Device[] };
  micId: string | null;
  cameraId: string | null;
  speakerId: string | null;
}

type Mode = { kind: 'start'; conversationId: string } | { kind: 'accept' | 'join'; call: Call };

// ---------- the current session of this tab ----------

let current: CallSession | null = null;
const currentListeners = new Set<() => void>();

export const sessionStore = {
  get: (): CallSession | null => current,
  subscribe(l: () => void): () => void {
    currentListeners.add(l);
    return () => currentListeners.delete(l);
  },
};

function setCurrent(s: CallSession | null): void {
  current = s;
  for (const l of currentListeners) l();
}

/** Starts (or, when one is in progress in the conversation, joins) a call; ends any other call on this device first. */
export async function placeCall(deps: SessionDeps, conversationId: string, video: boolean): Promise<void> {
  const existing = Object.values(deps.hub.getState().calls).find((c) => c.conversationId === conversationId);
  await current?.hangUp();
  const s = new CallSession(deps, existing ? { kind: 'join', call: existing } : { kind: 'start', conversationId }, video);
  setCurrent(s);
  await s.connect();
}

/** Answers a ringing call (hanging up the current one, if any). */
export async function answerCall(deps: SessionDeps, call: Call, video: boolean): Promise<void> {
  await current?.hangUp();
  const s = new CallSession(deps, { kind: 'accept', call }, video);
  setCurrent(s);
  await s.connect();
}

export async function declineCall(api: Requester, callId: string): Promise<void> {
  await api.request(DeclineCallDocument, { callId });
}

const ENDED_SCREEN_MS = 2500;

export class CallSession {
  private state: SessionState;
  private listeners = new Set<() => void>();
  private publish: RTCPeerConnection | null = null;
  private subscribe_: RTCPeerConnection | null = null;
  private config: RTCConfiguration = { bundlePolicy: 'max-bundle' };
  private audioTx: RTCRtpTransceiver | null = null;
  private cameraTx: RTCRtpTransceiver | null = null;
  private screenTx: RTCRtpTransceiver | null = null;
  private offers: Promise<void> = Promise.resolve();
  private publishing: Promise<void> = Promise.resolve();
  private unsubscribeHub: (() => void) | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private lastLoss: LossSample | null = null;
  private seenSelf = false;
  private closed = false;

  constructor(private readonly deps: SessionDeps, private readonly mode: Mode, video: boolean) {
    const call = mode.kind === 'start' ? null : mode.call;
    this.state = {
      phase: 'preparing', conversationId: mode.kind === 'start' ? mode.conversationId : mode.call.conversationId,
      callId: call?.id ?? null, participantId: null, call,
      muted: false, cameraOn: video, screenSharing: false, local: null, screen: null, remote: {},
      quality: 'good', connectedAt: null, error: null, endedText: null,
      devices: { audioinput: [], videoinput: [], audiooutput: [] }, micId: null, cameraId: null, speakerId: null,
    };
    deps.hub.setEngaged(true);
    deps.hub.listenOffers(this.takeOffer);
    mark('parley:call:start');
  }

  getState = (): SessionState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** The two connections, for tests and diagnostics (read only). */
  get connections(): { publish: RTCPeerConnection | null; subscribe: RTCPeerConnection | null } {
    return { publish: this.publish, subscribe: this.subscribe_ };
  }

  private set(next: Partial<SessionState>): void {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }

  // ---------- joining ----------

  async connect(): Promise<void> {
    const { api, hub } = this.deps;
    try {
      const local = await this.openMedia(this.state.cameraOn);
      if (this.closed) { stopAll(local); return; }
      mark('parley:call:media');
      this.set({ local, cameraOn: local.getVideoTracks().length > 0 });
      void this.loadDevices();
      const ice = await api.request(IceServersDocument, {}).then((r) => r.iceServers).catch(() => []);
      // Only the fields RTCIceServer knows (no __typename, no expiresAt).
      this.config = {
        bundlePolicy: 'max-bundle',
        iceServers: ice.map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username } : {}), ...(s.credential ? { credential: s.credential } : {}) })),
      };
      const pc = this.deps.newPeerConnection(this.config);
      this.publish = pc;
      pc.onconnectionstatechange = () => this.sampleQuality();
      const audio = local.getAudioTracks()[0];
      if (audio) this.audioTx = pc.addTransceiver(audio, { direction: 'sendonly', streams: [local] });
      const camera = local.getVideoTracks()[0];
      if (camera) this.cameraTx = pc.addTransceiver(camera, { direction: 'sendonly', streams: [local] });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      const sdp = pc.localDescription?.sdp ?? offer.sdp ?? '';
      const callId = this.mode.kind === 'start' ? null : this.mode.call.id;
      const before = callId ? hub.version(callId) : 0;
      const joined = this.mode.kind === 'start'
        ? (await api.request(StartCallDocument, { input: { conversationId: this.mode.conversationId, video: this.state.cameraOn, offer: sdp } })).startCall
        : this.mode.kind === 'accept'
          ? (await api.request(AcceptCallDocument, { input: { callId: this.mode.call.id, offer: sdp } })).acceptCall
          : (await api.request(JoinCallDocument, { input: { callId: this.mode.call.id, offer: sdp } })).joinCall;
      if (this.closed) {
        // Hung up while joining: leave what we just joined.
        await api.request(LeaveCallDocument, { callId: joined.call.id, participantId: joined.participantId }).catch(() => {});
        return;
      }
      mark('parley:call:joined');
      hub.currentId = joined.call.id;
      hub.applyAnswer(joined.call, callId ? before : 0);
      this.set({ phase: 'joined', callId: joined.call.id, participantId: joined.participantId, call: hub.getState().calls[joined.call.id] ?? joined.call });
      if (joined.answer) await pc.setRemoteDescription({ type: 'answer', sdp: joined.answer });
      this.unsubscribeHub = hub.subscribe(this.onHub);
      this.onHub();
      // Offers that came before we knew our participant id.
      hub.listenOffers(this.takeOffer);
      const every = this.deps.statsIntervalMs ?? 2000;
      if (every > 0) this.statsTimer = setInterval(() => void this.sampleQuality(), every);
    } catch (e) {
      this.finish(humanMessage(e), true);
    }
  }

  private async openMedia(video: boolean): Promise<MediaStream> {
    const audio: MediaTrackConstraints | boolean = this.state.micId ? { deviceId: { exact: this.state.micId } } : true;
    try {
      return await this.deps.media.getUserMedia({ audio, video: video ? this.cameraConstraints() : false });
    } catch (e) {
      if (!video) throw new Error(`Parley can't use your microphone (${(e as Error).name ?? 'error'})`);
      // No camera (or refused): carry on with sound only.
      return this.deps.media.getUserMedia({ audio, video: false });
    }
  }

  private cameraConstraints(): MediaTrackConstraints {
    return { width: { ideal: 640 }, height: { ideal: 360 }, ...(this.state.cameraId ? { deviceId: { exact: this.state.cameraId } } : {}) };
  }

  // ---------- the SFU's offers ----------

  /** Takes the offers for this device (in order); the others stay in the hub. */
  private takeOffer = (o: CallOffer): boolean => {
    if (this.closed || !this.state.participantId || o.participantId !== this.state.participantId) return false;
    this.offers = this.offers.then(() => this.answerOffer(o)).catch((e) => this.set({ error: humanMessage(e) }));
    return true;
  };

  private async answerOffer(o: CallOffer): Promise<void> {
    if (this.closed) return;
    mark('parley:call:offer');
    let pc = this.subscribe_;
    if (!pc) {
      pc = this.deps.newPeerConnection(this.config);
      this.subscribe_ = pc;
      pc.ontrack = (e) => this.onTrack(e);
      pc.onconnectionstatechange = () => this.sampleQuality();
    }
    await pc.setRemoteDescription({ type: 'offer', sdp: o.sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    if (this.closed) return;
    await this.deps.api.request(AnswerCallOfferDocument, { callId: o.callId, participantId: o.participantId, sdp: pc.localDescription?.sdp ?? answer.sdp ?? '' });
    mark('parley:call:answered-offer');
    this.pruneRemote();
  }

  private onTrack(e: RTCTrackEvent): void {
    const stream = e.streams[0];
    if (!stream) return;
    stream.onremovetrack = () => this.pruneRemote();
    e.track.onended = () => this.pruneRemote();
    this.set({ remote: { ...this.state.remote, [stream.id]: stream } });
  }

  /** Drops streams left without a live track (their participant left). */
  private pruneRemote(): void {
    const remote: Record<string, MediaStream> = {};
    let changed = false;
    for (const [id, s] of Object.entries(this.state.remote)) {
      if (s.getTracks().some((t) => t.readyState !== 'ended')) remote[id] = s;
      else changed = true;
    }
    if (changed) this.set({ remote });
  }

  // ---------- the call's state ----------

  private onHub = (): void => {
    const id = this.state.callId;
    if (!id || this.closed) return;
    const call = this.deps.hub.getState().calls[id];
    if (!call) {
      const ended = this.deps.hub.endedCall(id);
      this.finish(endedText(ended ?? this.state.call, this.deps.hub.me));
      return;
    }
    const inIt = call.participants.some((p) => p.id === this.state.participantId);
    if (inIt) this.seenSelf = true;
    else if (this.seenSelf) { this.finish('You left the call'); return; }
    const connectedAt = this.state.connectedAt ?? (call.state === 'ONGOING' ? Date.now() : null);
    this.set({ call, connectedAt });
  };

  private async sampleQuality(): Promise<void> {
    const pcs = [this.publish, this.subscribe_].filter((p): p is RTCPeerConnection => !!p);
    let loss = 0;
    if (this.subscribe_) {
      try {
        const report = await this.subscribe_.getStats();
        const totals = inboundTotals(report.values() as Iterable<{ type: string }>);
        if (this.lastLoss) loss = lossBetween(this.lastLoss, totals);
        this.lastLoss = totals;
      } catch { /* closed meanwhile */ }
    }
    if (this.closed) return;
    const quality = qualityOf(pcs.map((p) => p.connectionState), loss);
    if (quality !== this.state.quality) this.set({ quality });
  }

  // ---------- controls ----------

  private async setMedia(input: { muted?: boolean; cameraOn?: boolean; screenSharing?: boolean }): Promise<void> {
    const { callId, participantId } = this.state;
    if (!callId || !participantId) return;
    const before = this.deps.hub.version(callId);
    try {
      const { setCallMedia } = await this.deps.api.request(SetCallMediaDocument, { input: { callId, participantId, ...input } });
      this.deps.hub.applyAnswer(setCallMedia, before);
    } catch (e) {
      this.set({ error: humanMessage(e) });
    }
  }

  /** Offers the publishing connection again (a transceiver was added); one at a time. */
  private renegotiate(): Promise<void> {
    const run = async () => {
      const pc = this.publish;
      const { callId, participantId } = this.state;
      if (!pc || !callId || !participantId || this.closed) return;
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      const screenMid = this.screenTx?.mid ?? undefined;
      const { publishCallMedia } = await this.deps.api.request(PublishCallMediaDocument, {
        input: { callId, participantId, offer: pc.localDescription?.sdp ?? offer.sdp ?? '', ...(screenMid ? { screenMid } : {}) },
      });
      if (!this.closed) await pc.setRemoteDescription({ type: 'answer', sdp: publishCallMedia });
    };
    this.publishing = this.publishing.then(run, run);
    return this.publishing.catch((e) => this.set({ error: humanMessage(e) }));
  }

  async toggleMute(): Promise<void> {
    const muted = !this.state.muted;
    for (const t of this.state.local?.getAudioTracks() ?? []) t.enabled = !muted;
    this.set({ muted });
    await this.setMedia({ muted });
  }

  async toggleCamera(): Promise<void> {
    const local = this.state.local;
    if (!local || !this.publish) return;
    if (this.state.cameraOn) {
      for (const t of local.getVideoTracks()) { t.stop(); local.removeTrack(t); }
      await this.cameraTx?.sender.replaceTrack(null);
      this.set({ cameraOn: false, local: cloneStream(local) });
      await this.setMedia({ cameraOn: false });
      return;
    }
    let track: MediaStreamTrack | undefined;
    try {
      track = (await this.deps.media.getUserMedia({ video: this.cameraConstraints() })).getVideoTracks()[0];
    } catch (e) {
      this.set({ error: `Parley can't use your camera (${(e as Error).name ?? 'error'})` });
      return;
    }
    if (!track || this.closed) { track?.stop(); return; }
    local.addTrack(track);
    this.set({ cameraOn: true, local: cloneStream(local), error: null });
    if (this.cameraTx) await this.cameraTx.sender.replaceTrack(track);
    else {
      this.cameraTx = this.publish.addTransceiver(track, { direction: 'sendonly', streams: [local] });
      await this.renegotiate();
    }
    await this.setMedia({ cameraOn: true });
  }

  async toggleScreen(): Promise<void> {
    if (!this.publish) return;
    if (this.state.screenSharing) {
      for (const t of this.state.screen?.getTracks() ?? []) t.stop();
      await this.screenTx?.sender.replaceTrack(null);
      this.set({ screenSharing: false, screen: null });
      await this.setMedia({ screenSharing: false });
      return;
    }
    let screen: MediaStream;
    try {
      screen = await this.deps.media.getDisplayMedia({ video: true, audio: false });
    } catch (e) {
      if ((e as Error).name !== 'NotAllowedError') this.set({ error: `Parley can't share your screen (${(e as Error).name ?? 'error'})` });
      return;
    }
    const track = screen.getVideoTracks()[0];
    if (!track || this.closed) { stopAll(screen); return; }
    // The browser's own "Stop sharing" ends the track.
    track.onended = () => { if (this.state.screen === screen) void this.toggleScreen(); };
    this.set({ screenSharing: true, screen, error: null });
    if (this.screenTx) await this.screenTx.sender.replaceTrack(track);
    else {
      this.screenTx = this.publish.addTransceiver(track, { direction: 'sendonly', streams: [screen] });
      await this.renegotiate();
    }
    await this.setMedia({ screenSharing: true });
  }

  async loadDevices(): Promise<void> {
    try {
      const all = await this.deps.media.enumerateDevices();
      const of = (kind: MediaDeviceKind) => all.filter((d) => d.kind === kind).map((d, i) => ({
        id: d.deviceId, label: d.label || `${kind === 'audioinput' ? 'Microphone' : kind === 'videoinput' ? 'Camera' : 'Speaker'} ${i + 1}`,
      }));
      const used = (kind: 'audio' | 'video') => this.state.local?.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId ?? null;
      this.set({
        devices: { audioinput: of('audioinput'), videoinput: of('videoinput'), audiooutput: of('audiooutput') },
        micId: this.state.micId ?? used('audio'), cameraId: this.state.cameraId ?? used('video'),
      });
    } catch { /* no device list: the selectors stay empty */ }
  }

  async selectMic(id: string): Promise<void> {
    this.set({ micId: id });
    const local = this.state.local;
    if (!local) return;
    const track = (await this.deps.media.getUserMedia({ audio: { deviceId: { exact: id } } })).getAudioTracks()[0];
    if (!track) return;
    track.enabled = !this.state.muted;
    for (const t of local.getAudioTracks()) { t.stop(); local.removeTrack(t); }
    local.addTrack(track);
    await this.audioTx?.sender.replaceTrack(track);
    this.set({ local: cloneStream(local) });
  }

  async selectCamera(id: string): Promise<void> {
    this.set({ cameraId: id });
    const local = this.state.local;
    if (!local || !this.state.cameraOn) return;
    const track = (await this.deps.media.getUserMedia({ video: this.cameraConstraints() })).getVideoTracks()[0];
    if (!track) return;
    for (const t of local.getVideoTracks()) { t.stop(); local.removeTrack(t); }
    local.addTrack(track);
    await this.cameraTx?.sender.replaceTrack(track);
    this.set({ local: cloneStream(local) });
  }

  /** The speaker: the screen applies it to its media elements (HTMLMediaElement.setSinkId). */
  selectSpeaker(id: string): void {
    this.set({ speakerId: id });
  }

  // ---------- ending ----------

  async hangUp(): Promise<void> {
    const { callId, participantId } = this.state;
    // Leave first, then close the connections (within 2 s at most): a
    // connection closed before the server knows we left reads as a lost one.
    const leaving = callId && participantId
      ? this.deps.api.request(LeaveCallDocument, { callId, participantId }).then(() => {}, () => {})
      : Promise.resolve();
    this.finish('Call ended', false, Promise.race([leaving, new Promise<void>((r) => setTimeout(r, 2000))]));
    await leaving;
  }

  /** Ends the call for everyone (the caller, or a group's owner or admins). */
  async endForAll(): Promise<void> {
    const { callId } = this.state;
    if (!callId) return;
    try {
      await this.deps.api.request(EndCallDocument, { callId });
      this.finish('Call ended');
    } catch (e) {
      this.set({ error: humanMessage(e) });
    }
  }

  /** Closes everything; the ended screen shows for a moment, then the session is gone. */
  private finish(text: string, failed = false, closeAfter: Promise<void> = Promise.resolve()): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeHub?.();
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.deps.hub.listenOffers(null);
    if (this.deps.hub.currentId === this.state.callId) this.deps.hub.currentId = null;
    const { publish, subscribe_: subscribe } = this;
    void closeAfter.then(() => { publish?.close(); subscribe?.close(); });
    stopAll(this.state.local);
    stopAll(this.state.screen);
    this.set({ phase: 'ended', endedText: failed ? null : text, error: failed ? text : this.state.error, remote: {} });
    setTimeout(() => {
      if (current === this) setCurrent(null);
      if (!current) this.deps.hub.setEngaged(false);
    }, failed ? ENDED_SCREEN_MS * 2 : ENDED_SCREEN_MS);
  }

  /** Closes the ended screen at once. */
  dismiss(): void {
    if (!this.closed) return;
    if (current === this) setCurrent(null);
    if (!current) this.deps.hub.setEngaged(false);
  }
}

/** A User Timing mark (the browser tests read them to split join-to-first-frame). */
function mark(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}

function stopAll(stream: MediaStream | null): void {
  for (const t of stream?.getTracks() ?? []) t.stop();
}

/** A new MediaStream object with the same tracks, so that React sees the change. */
function cloneStream(s: MediaStream): MediaStream {
  return typeof MediaStream === 'undefined' ? s : new MediaStream(s.getTracks());
}

/** Why a call ended, as the caller or a callee sees it. */
export function endedText(call: Call | null | undefined, me: string): string {
  if (!call?.result) return 'Call ended';
  const mine = call.caller.id === me;
  switch (call.result) {
    case 'MISSED': return mine ? 'No answer' : 'Missed call';
    case 'DECLINED': return mine ? 'Call declined' : 'Call ended';
    case 'BUSY': return mine ? 'Busy: they are in another call' : 'Call ended';
    case 'CANCELLED': return mine ? 'Call cancelled' : 'Missed call';
    default: return 'Call ended';
  }
}
