import { contentSecurityPolicyDirectives, inlineEventHandlers, permissionsPolicy, type BrowserBoundaryOptions } from './browser-boundary';

const TWILIO: BrowserBoundaryOptions = { mode: 'twilio', allowedOrigins: ['https://voice.example.com'], frameAncestors: [], sandboxHost: null, https: true };

describe('contentSecurityPolicyDirectives', () => {
  it('lets the Voice SDK reach Twilio in twilio mode: signaling over wss, Insights and sounds, nothing of the sandbox', () => {
    const csp = contentSecurityPolicyDirectives(TWILIO);
    expect(csp['connect-src']).toEqual(expect.arrayContaining(["'self'", 'wss://*.twilio.com', 'https://*.twilio.com']));
    expect(csp['media-src']).toEqual(expect.arrayContaining(['https://sdk.twilio.com', 'https://media.twiliocdn.com']));
    expect(JSON.stringify(csp)).not.toContain('8443');
    expect(csp['upgrade-insecure-requests']).toEqual([]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
  });

  it('lets it reach only the sandbox in sandbox mode, and upgrades nothing on plain http', () => {
    const csp = contentSecurityPolicyDirectives({ ...TWILIO, mode: 'sandbox', sandboxHost: 'sandbox.test:9443', https: false });
    expect(csp['connect-src']).toEqual(["'self'", 'https://sandbox.test:9443', 'wss://sandbox.test:9443']);
    expect(JSON.stringify(csp)).not.toContain('twilio.com');
    expect(csp['upgrade-insecure-requests']).toBeUndefined();
  });

  it('allows framing only by configured origins, which may also delegate the microphone', () => {
    const options = { ...TWILIO, frameAncestors: ['https://crm.example.com'] };
    expect(contentSecurityPolicyDirectives(options)['frame-ancestors']).toEqual(['https://crm.example.com']);
    expect(permissionsPolicy(options)).toMatch(/^microphone=\(self "https:\/\/crm\.example\.com"\), camera=\(\)/);
    expect(permissionsPolicy(TWILIO)).toMatch(/^microphone=\(self\), /);
  });

  it('allows inline event handlers of the served page by hash only, and none when there are none', () => {
    const handlers = inlineEventHandlers(`<link rel="stylesheet" href="a.css" media="print" onload="this.media='all'"><p title="onload=x">`);
    expect(handlers).toEqual(["this.media='all'"]);
    expect(contentSecurityPolicyDirectives({ ...TWILIO, inlineHandlers: handlers })['script-src-attr'])
      .toEqual(["'unsafe-hashes'", "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='"]);
    expect(contentSecurityPolicyDirectives(TWILIO)['script-src-attr']).toEqual(["'none'"]);
  });
});
