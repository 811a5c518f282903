import type { ClientConfig } from '@switchboard/shared-contracts';
import { DEFAULT_VOICE_DEVICE_OPTIONS, buildDeviceOptions, parseClientConfig } from './voice-device-options';

const twilioConfig: ClientConfig = { mode: 'twilio', sandboxSignalingHost: null, sandboxOrigin: null, edge: [], logLevel: 'warn', tokenRefreshMs: 30_000, lineTestMaxAgeHours: 24 };

describe('buildDeviceOptions', () => {
  it('uses the configured ordered edge list as the fallback list', () => {
    expect(buildDeviceOptions(DEFAULT_VOICE_DEVICE_OPTIONS, { ...twilioConfig, edge: ['ashburn', 'dublin'] })['edge']).toEqual(['ashburn', 'dublin']);
    expect(buildDeviceOptions(DEFAULT_VOICE_DEVICE_OPTIONS, { ...twilioConfig, edge: ['sydney'] })['edge']).toBe('sydney');
    expect(buildDeviceOptions({ ...DEFAULT_VOICE_DEVICE_OPTIONS, edge: ['frankfurt', 'dublin'] }, null)['edge']).toEqual(['frankfurt', 'dublin']);
    expect(buildDeviceOptions(DEFAULT_VOICE_DEVICE_OPTIONS, twilioConfig)['edge']).toBe('roaming');
  });

  it('adds no sandbox options in twilio mode, and refuses sandbox mode without a host', () => {
    expect(buildDeviceOptions(DEFAULT_VOICE_DEVICE_OPTIONS, twilioConfig)).not.toHaveProperty('chunderw');
    expect(() => buildDeviceOptions(DEFAULT_VOICE_DEVICE_OPTIONS, { ...twilioConfig, mode: 'sandbox' })).toThrow(/sandboxSignalingHost/);
  });

  it('lets `extra` add options last', () => {
    expect(buildDeviceOptions({ ...DEFAULT_VOICE_DEVICE_OPTIONS, extra: { appName: 'switchboard' } }, null)).toMatchObject({ appName: 'switchboard', dscp: true });
  });
});

describe('parseClientConfig', () => {
  it('accepts a well-formed body and cleans the edge list', () => {
    expect(parseClientConfig({ ...twilioConfig, edge: ['ashburn', '', 3] })).toEqual({ ...twilioConfig, edge: ['ashburn'] });
  });
  it('rejects bodies without a valid mode, and defaults bad fields', () => {
    expect(parseClientConfig(null)).toBeNull();
    expect(parseClientConfig({ mode: 'prod' })).toBeNull();
    expect(parseClientConfig({ mode: 'twilio', logLevel: 'loud', tokenRefreshMs: -1 })).toMatchObject({ logLevel: 'warn', tokenRefreshMs: 30_000, edge: [] });
  });
});
