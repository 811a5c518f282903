import { isLiveEventEnvelope, LIVE_EVENTS_PATH } from './live-events';

describe('live events contract', () => {
  const hello = {
    id: 'i-hello-1', type: 'session.hello', at: '2026-12-06T05:00:00.000Z',
    data: { identity: 'alice', displayName: 'Alice Adams', role: 'agent', instanceId: 'i', resumed: false },
  };

  it('serves the stream under /api, so the session guard and the browser boundary cover it', () => {
    expect(LIVE_EVENTS_PATH).toMatch(/^\/api\//);
  });

  it('recognises an envelope, whatever its type, and refuses anything missing a part', () => {
    expect(isLiveEventEnvelope(hello)).toBe(true);
    expect(isLiveEventEnvelope({ ...hello, type: 'call.participants' })).toBe(true);
    for (const bad of [null, 'x', [], { ...hello, id: '' }, { ...hello, id: 7 }, { ...hello, type: '' }, { ...hello, at: 'yesterday' }, { ...hello, data: null }, { ...hello, data: 'x' }]) {
      expect(isLiveEventEnvelope(bad)).toBe(false);
    }
  });
});
