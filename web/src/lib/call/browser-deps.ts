// The browser's real parts for a CallSession: the API, the media devices
// and RTCPeerConnection.
import { getAuth } from '@/lib/app-state';
import type { CallHub } from './call-hub';
import type { SessionDeps } from './call-session';

export function sessionDeps(hub: CallHub): SessionDeps {
  const md = navigator.mediaDevices;
  return {
    api: getAuth(),
    hub,
    media: {
      getUserMedia: (c) => md.getUserMedia(c),
      getDisplayMedia: (c) => md.getDisplayMedia(c),
      enumerateDevices: () => md.enumerateDevices(),
    },
    newPeerConnection: (c) => new RTCPeerConnection(c),
  };
}
