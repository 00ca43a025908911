import { describe, expect, it } from 'vitest';
import { inboundTotals, lossBetween, qualityOf, streamOwner, tiles } from './call-model';
import { ADA, BOB, CAROL, call, participant } from './call-test-fixtures';

describe('streamOwner', () => {
  it('maps the SFU stream ids to participants and screen shares', () => {
    expect(streamOwner('P123')).toEqual({ participantId: 'P123', screen: false });
    expect(streamOwner('P123.screen')).toEqual({ participantId: 'P123', screen: true });
  });
});

describe('tiles', () => {
  const c = call({
    state: 'ONGOING', activeSpeakerId: 'PC',
    participants: [participant('PA', ADA), participant('PB', BOB, { screenSharing: true, muted: true }), participant('PC', CAROL)],
  });

  it('puts this device first, matches remote streams by id, highlights the speaker', () => {
    const remote = { PA: 'sA', PB: 'sB', 'PB.screen': 'sBscreen', PC: 'sC', 'PC.screen': 'stale', PGONE: 'left' };
    const t = tiles(c, 'PB', remote);
    expect(t.map((x) => [x.participant.id, x.self, x.stream, x.screen, x.speaking])).toEqual([
      ['PB', true, null, null, false],
      ['PA', false, 'sA', null, false],
      // Carol's old screen stream is not shown: she is not sharing.
      ['PC', false, 'sC', null, true],
    ]);
    const fromA = tiles(c, 'PA', remote);
    expect(fromA.find((x) => x.participant.id === 'PB')!.screen).toBe('sBscreen');
    expect(fromA.find((x) => x.participant.id === 'PB')!.participant.muted).toBe(true);
  });

  it('shows participants whose media has not arrived yet', () => {
    expect(tiles(c, 'PA', {}).map((x) => x.stream)).toEqual([null, null, null]);
  });
});

describe('connection quality', () => {
  it('measures loss between two getStats samples', () => {
    const a = inboundTotals([{ type: 'inbound-rtp', packetsReceived: 100, packetsLost: 0 }, { type: 'outbound-rtp', packetsReceived: 9 }, { type: 'inbound-rtp', packetsReceived: 50, packetsLost: 2 }]);
    expect(a).toEqual({ received: 150, lost: 2 });
    const b = { received: 240, lost: 12 };
    expect(lossBetween(a, b)).toBeCloseTo(10 / 100);
    expect(lossBetween(b, b)).toBe(0);
  });

  it('says reconnecting when a connection dropped, poor above 5 % loss', () => {
    expect(qualityOf(['connected', 'connected'], 0.01)).toBe('good');
    expect(qualityOf(['connected', 'connected'], 0.08)).toBe('poor');
    expect(qualityOf(['connected', 'disconnected'], 0)).toBe('reconnecting');
    expect(qualityOf(['failed', undefined], 0)).toBe('reconnecting');
  });
});
