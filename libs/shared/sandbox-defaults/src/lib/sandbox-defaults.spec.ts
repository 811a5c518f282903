import { SANDBOX_CREDENTIALS, VOICE_SDK_SOUND_NAMES, sandboxDeviceOptions } from './sandbox-defaults';

describe('sandbox defaults', () => {
  it('carries credentials shaped like Twilio SIDs so the twilio package accepts them', () => {
    expect(SANDBOX_CREDENTIALS.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(SANDBOX_CREDENTIALS.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(SANDBOX_CREDENTIALS.twimlAppSid).toMatch(/^AP[0-9a-f]{32}$/);
    expect(SANDBOX_CREDENTIALS.authToken).toMatch(/^[0-9a-f]{32}$/);
    expect(SANDBOX_CREDENTIALS.apiKeySecret.length).toBeGreaterThanOrEqual(32);
  });

  it('gives a local URL for every one of the 15 SDK sounds and switches Insights off', () => {
    const options = sandboxDeviceOptions({ signalingHost: '127.0.0.1:8443' });
    expect(options.chunderw).toBe('127.0.0.1:8443');
    expect(options.publishEvents).toBe(false);
    expect(Object.keys(options.sounds)).toHaveLength(15);
    for (const name of VOICE_SDK_SOUND_NAMES) {
      expect(options.sounds[name]).toBe(`https://127.0.0.1:8443/sounds/${name}.wav`);
    }
  });

  it('serves sounds from another origin when told to', () => {
    const options = sandboxDeviceOptions({ signalingHost: 'localhost:9443', soundsOrigin: 'http://localhost:3000/' });
    expect(options.sounds.incoming).toBe('http://localhost:3000/sounds/incoming.wav');
  });

  it.each(['', 'wss://127.0.0.1:8443', 'host:port', '127.0.0.1:8443/../x', 'a b'])(
    'refuses the malformed signaling host %p',
    (host) => {
      expect(() => sandboxDeviceOptions({ signalingHost: host })).toThrow(/Invalid sandbox signaling host/);
    },
  );
});
