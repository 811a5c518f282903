import { API_ROUTES, WEBHOOK_ROUTES } from './routes';

describe('routes', () => {
  it('keeps agent routes under /api and webhooks under /webhooks, so guards can tell them apart', () => {
    const flat = (o: object): string[] =>
      Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'function' ? [v('x')] : flat(v)));
    for (const path of flat(API_ROUTES)) expect(path).toMatch(/^\/(api|health)\//);
    for (const path of flat(WEBHOOK_ROUTES)) expect(path).toMatch(/^\/webhooks\/voice\/[a-z-]+$/);
  });

  it('encodes ids so a voicemail id can never add a path segment', () => {
    expect(API_ROUTES.voicemails.audio('../x')).toBe('/api/voicemails/..%2Fx/audio');
  });

  it('puts call control under the call it acts on, with the CallSid encoded', () => {
    expect(API_ROUTES.calls.hold('CA1')).toBe('/api/calls/CA1/hold');
    expect(API_ROUTES.calls.consult('CA1', 'three-way')).toBe('/api/calls/CA1/consult/three-way');
    expect(API_ROUTES.calls.participants('../x')).toBe('/api/calls/..%2Fx/participants');
  });
});
