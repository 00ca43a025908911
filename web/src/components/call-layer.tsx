'use client';
// Calls on top of the home screen: the incoming-call dialog (with a
// ringtone), the outgoing screen while it rings, the in-call screen (grid,
// self-view, controls, devices, timer, connection notice) and the short
// "Call ended" screen. Loaded on demand (next/dynamic) the first time a call
// rings or starts, so it costs the home screen's first load nothing.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { getAuth } from '@/lib/app-state';
import { ringingFor, type Call, type CallHub } from '@/lib/call/call-hub';
import { callDuration } from '@/lib/call/call-text';
import { callPeerName, tiles, type Tile } from '@/lib/call/call-model';
import { answerCall, declineCall, sessionStore, type CallSession, type SessionState } from '@/lib/call/call-session';
import { sessionDeps } from '@/lib/call/browser-deps';
import { humanMessage } from '@/lib/api/errors';
import { Avatar } from './avatar';
import { IconPhone, IconVideo, IconMonitor, IconSettings } from './icons';

// Read-only handles for the browser tests (getStats of both connections).
function exposeForTests(session: CallSession | null): void {
  (window as unknown as { __parleyCall?: unknown }).__parleyCall = session
    ? {
      get publish() { return session.connections.publish; },
      get subscribe() { return session.connections.subscribe; },
      get participantId() { return session.getState().participantId; },
      get callId() { return session.getState().callId; },
    }
    : null;
}

function useSession(): CallSession | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get, () => null);
}

function useSessionState(s: CallSession): SessionState {
  return useSyncExternalStore(s.subscribe, s.getState, s.getState);
}

export default function CallLayer({ hub, titleOf }: { hub: CallHub; titleOf: (conversationId: string) => string | null }) {
  const session = useSession();
  const hubState = useSyncExternalStore(hub.subscribe, hub.getState, hub.getState);
  useEffect(() => { exposeForTests(session); }, [session]);
  const incoming = ringingFor(hubState, hub.me, session?.getState().callId ?? null)[0] ?? null;
  return (
    <>
      {session ? <CallScreen key={String(session.getState().callId ?? 'new')} session={session} me={hub.me} titleOf={titleOf} /> : null}
      {incoming ? <IncomingCall key={incoming.id} call={incoming} hub={hub} titleOf={titleOf} /> : null}
    </>
  );
}

// ---------- tones ----------

/**
 * A ringtone made with WebAudio (nothing to download): 440 + 480 Hz, rung
 * twice then silence for an incoming call, one long tone every 4 s as the
 * caller's ringback. Returns the stop function.
 */
function playTone(kind: 'ring' | 'ringback'): () => void {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return () => {};
  const ctx = new Ctx();
  const gain = ctx.createGain();
  gain.gain.value = 0;
  gain.connect(ctx.destination);
  for (const f of [440, 480]) {
    const o = ctx.createOscillator();
    o.frequency.value = f;
    o.connect(gain);
    o.start();
  }
  const level = kind === 'ring' ? 0.12 : 0.05;
  const pattern = kind === 'ring' ? [[0, 0.4], [0.6, 1.0]] : [[0, 2]];
  const period = kind === 'ring' ? 3 : 4;
  const t0 = ctx.currentTime + 0.05;
  for (let cycle = 0; cycle < 40; cycle++) {
    for (const [on, off] of pattern) {
      gain.gain.setValueAtTime(level, t0 + cycle * period + on!);
      gain.gain.setValueAtTime(0, t0 + cycle * period + off!);
    }
  }
  void ctx.resume().catch(() => {});
  return () => { void ctx.close().catch(() => {}); };
}

function useTone(kind: 'ring' | 'ringback' | null): void {
  useEffect(() => (kind ? playTone(kind) : undefined), [kind]);
}

// ---------- incoming ----------

function IncomingCall({ call, hub, titleOf }: { call: Call; hub: CallHub; titleOf: (id: string) => string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const acceptRef = useRef<HTMLButtonElement>(null);
  useTone('ring');
  useEffect(() => { acceptRef.current?.focus(); }, []);
  const group = titleOf(call.conversationId);
  const caller = call.caller.displayName;
  const what = call.video ? 'Incoming video call' : 'Incoming call';
  const accept = (video: boolean) => {
    setBusy(true);
    void answerCall(sessionDeps(hub), call, video).catch((e) => { setError(humanMessage(e)); setBusy(false); });
  };
  const decline = () => {
    setBusy(true);
    declineCall(getAuth(), call.id).catch((e) => { setError(humanMessage(e)); setBusy(false); });
  };
  return (
    <div className="backdrop call-backdrop">
      <div className="dialog incoming-call" role="alertdialog" aria-modal="true" aria-labelledby="incoming-title" aria-describedby="incoming-what">
        <div className="incoming-ring"><Avatar id={call.caller.id} name={caller} size={88} /></div>
        <h2 id="incoming-title">{caller}</h2>
        <p id="incoming-what">{what}{group && group !== caller ? ` · ${group}` : ''}</p>
        {error ? <div className="alert" role="alert">{error}</div> : null}
        <div className="incoming-actions">
          <button className="call-btn hangup" onClick={decline} disabled={busy} aria-label="Decline"><IconPhone /></button>
          <button className="call-btn accept" onClick={() => accept(true)} disabled={busy} aria-label="Accept with video"><IconVideo /></button>
          <button className="call-btn accept" ref={acceptRef} onClick={() => accept(false)} disabled={busy} aria-label="Accept"><IconPhone /></button>
        </div>
      </div>
    </div>
  );
}

// ---------- media elements ----------

function VideoView({ stream, mirror, label }: { stream: MediaStream; mirror?: boolean; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && el.srcObject !== stream) el.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className={mirror ? 'mirror' : undefined} autoPlay playsInline muted aria-label={label} />;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

function RemoteAudio({ stream, sinkId }: { stream: MediaStream; sinkId: string | null }) {
  const ref = useRef<SinkAudio>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && el.srcObject !== stream) { el.srcObject = stream; void el.play().catch(() => {}); }
  }, [stream]);
  useEffect(() => {
    if (sinkId && ref.current?.setSinkId) void ref.current.setSinkId(sinkId).catch(() => {});
  }, [sinkId]);
  return <audio ref={ref} autoPlay />;
}

/** Whose avatar the outgoing and ended screens show: the other person (the colour matches the rest of the app). */
function heroId(call: Call | null, me: string): string | null {
  if (!call) return null;
  if (call.caller.id !== me) return call.caller.id;
  // One person rung: a direct call (a group's screen shows the group).
  return call.ringing.length === 1 ? call.ringing[0]!.id : null;
}

const hasVideo = (s: MediaStream | null) => !!s && s.getVideoTracks().some((t) => t.readyState === 'live');

// ---------- the call screen ----------

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function CallScreen({ session, me, titleOf }: { session: CallSession; me: string; titleOf: (id: string) => string | null }) {
  const s = useSessionState(session);
  const [settings, setSettings] = useState(false);
  const call = s.call;
  const title = titleOf(s.conversationId) ?? (call ? callPeerName(call, me, null) : 'Call');
  const outgoing = s.phase !== 'ended' && (!call || call.state === 'RINGING') && (!call || call.caller.id === me);
  const now = useNow(s.connectedAt !== null && s.phase === 'joined');
  useTone(s.phase === 'joined' && outgoing ? 'ringback' : null);
  const grid: Tile<MediaStream>[] = call && s.phase === 'joined' ? tiles(call, s.participantId, s.remote) : [];
  const others = grid.filter((t) => !t.self);
  const screens = others.filter((t) => t.screen);

  let status: string;
  if (s.phase === 'ended') status = s.endedText ?? 'Call failed';
  else if (s.phase === 'preparing') status = outgoing ? `Calling ${title}…` : 'Connecting…';
  else if (outgoing) status = `Calling ${title}…`;
  else if (s.connectedAt !== null) status = callDuration((now - s.connectedAt) / 1000);
  else status = 'Connecting…';

  return (
    <section className="call-screen" role="region" aria-label={`Call with ${title}`} data-phase={s.phase} data-outgoing={outgoing || undefined}>
      <header className="call-head">
        <div className="grow">
          <h2>{title}</h2>
          <div className="call-status" role="timer" aria-live="off">{status}</div>
        </div>
        {s.quality !== 'good' && s.phase === 'joined' ? (
          <div className="call-notice" role="status">{s.quality === 'reconnecting' ? 'Reconnecting…' : 'Poor connection'}</div>
        ) : null}
      </header>
      {s.error ? <div className="alert call-error" role="alert">{s.error}</div> : null}

      {outgoing || s.phase !== 'joined' ? (
        <div className="call-hero">
          <div className={outgoing ? 'incoming-ring' : undefined}>
            <Avatar id={heroId(call, me) ?? s.conversationId} name={title} size={120} />
          </div>
          <p className="call-hero-text">{status}</p>
          {s.local && s.cameraOn && hasVideo(s.local) && s.phase !== 'ended' ? (
            <div className="tile self pip"><VideoView stream={s.local} mirror label="Your camera" /></div>
          ) : null}
        </div>
      ) : (
        <div className="call-stage">
          {screens.map((t) => (
            <figure key={`${t.participant.id}.screen`} className="tile screen-tile">
              <VideoView stream={t.screen!} label={`${t.participant.user.displayName}'s screen`} />
              <figcaption>{t.participant.user.displayName}&apos;s screen</figcaption>
            </figure>
          ))}
          <ul className="call-grid" data-count={Math.min(others.length, 9)} aria-label="Participants">
            {grid.map((t) => (
              <ParticipantTile key={t.participant.id} tile={t} local={t.self ? s.local : null}
                cameraOn={t.self ? s.cameraOn : t.participant.cameraOn} pip={t.self && others.length > 0} />
            ))}
          </ul>
        </div>
      )}
      {others.map((t) => (t.stream ? <RemoteAudio key={t.participant.id} stream={t.stream} sinkId={s.speakerId} /> : null))}

      {settings && s.phase === 'joined' ? (
        <DeviceSettings session={session} s={s} onClose={() => setSettings(false)} canEnd={!!call && call.caller.id === me && call.participants.length > 2} />
      ) : null}

      <div className="call-controls" role="toolbar" aria-label="Call controls">
        {s.phase === 'ended' ? (
          <button className="btn btn-secondary" onClick={() => session.dismiss()}>Close</button>
        ) : (
          <>
            <button className={`call-btn${s.muted ? ' off' : ''}`} aria-pressed={s.muted} aria-label={s.muted ? 'Unmute' : 'Mute'} title={s.muted ? 'Unmute' : 'Mute'}
              disabled={s.phase !== 'joined'} onClick={() => void session.toggleMute()}><IconMic off={s.muted} /></button>
            <button className={`call-btn${s.cameraOn ? '' : ' off'}`} aria-label={s.cameraOn ? 'Turn camera off' : 'Turn camera on'} title={s.cameraOn ? 'Turn camera off' : 'Turn camera on'}
              disabled={s.phase !== 'joined'} onClick={() => void session.toggleCamera()}><IconVideo /></button>
            <button className={`call-btn${s.screenSharing ? ' on' : ''}`} aria-label={s.screenSharing ? 'Stop sharing' : 'Share screen'} title={s.screenSharing ? 'Stop sharing' : 'Share screen'}
              disabled={s.phase !== 'joined' || typeof navigator.mediaDevices?.getDisplayMedia !== 'function'} onClick={() => void session.toggleScreen()}><IconMonitor /></button>
            <button className="call-btn" aria-label="Call settings" title="Microphone, camera and speaker" aria-expanded={settings} disabled={s.phase !== 'joined'}
              onClick={() => { setSettings(!settings); void session.loadDevices(); }}><IconSettings /></button>
            <button className="call-btn hangup" aria-label="Hang up" title="Hang up" onClick={() => void session.hangUp()}><IconPhone /></button>
          </>
        )}
      </div>
    </section>
  );
}

/** A participant; this device's own tile floats in a corner (pip) once others are in. */
function ParticipantTile({ tile, local, cameraOn, pip }: { tile: Tile<MediaStream>; local: MediaStream | null; cameraOn: boolean; pip: boolean }) {
  const p = tile.participant;
  const name = tile.self ? 'You' : p.user.displayName;
  const stream = tile.self ? local : tile.stream;
  const video = cameraOn && hasVideo(stream);
  const muted = p.muted;
  return (
    <li className={`tile${tile.speaking ? ' speaking' : ''}${tile.self ? ' self' : ''}${pip ? ' pip' : ''}`} data-participant={p.id} aria-label={`${name}${muted ? ', muted' : ''}${tile.speaking ? ', speaking' : ''}`}>
      {video && stream ? <VideoView stream={stream} mirror={tile.self} label={tile.self ? 'Your camera' : `${name}'s camera`} /> : (
        <div className="tile-avatar"><Avatar id={p.user.id} name={p.user.displayName} size={pip ? 48 : 72} /></div>
      )}
      <div className="tile-name">
        {muted ? <span className="tile-muted" role="img" aria-label="Muted"><IconMic off width={14} height={14} /></span> : null}
        <span>{name}</span>
      </div>
    </li>
  );
}

function DeviceSettings({ session, s, onClose, canEnd }: { session: CallSession; s: SessionState; onClose: () => void; canEnd: boolean }) {
  const sinkSupported = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  const pick = (label: string, id: string, list: { id: string; label: string }[], value: string | null, on: (v: string) => void, disabled = false) => (
    <label className="field" htmlFor={id}>
      <span>{label}</span>
      <select id={id} value={value ?? ''} disabled={disabled || list.length === 0} onChange={(e) => on(e.target.value)}>
        {list.length === 0 ? <option value="">None found</option> : null}
        {list.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
      </select>
    </label>
  );
  return (
    <div className="call-settings" role="group" aria-label="Devices">
      {pick('Microphone', 'call-mic', s.devices.audioinput, s.micId, (v) => void session.selectMic(v))}
      {pick('Camera', 'call-camera', s.devices.videoinput, s.cameraId, (v) => void session.selectCamera(v))}
      {pick('Speaker', 'call-speaker', s.devices.audiooutput, s.speakerId, (v) => session.selectSpeaker(v), !sinkSupported)}
      <button className="btn btn-secondary btn-small" onClick={onClose}>Done</button>
      {canEnd ? <button className="btn btn-danger btn-small" onClick={() => void session.endForAll()}>End call for everyone</button> : null}
    </div>
  );
}

function IconMic({ off, ...p }: { off?: boolean; width?: number; height?: number }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false} {...p}>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" />
      {off ? <path d="M4 4l16 16" /> : null}
    </svg>
  );
}
