import { LocalStorageDevicePreferences, parseDevicePreferences, parseEdgePreference } from './local-storage-device-preferences';

const memoryStorage = (entries: readonly (readonly [string, string])[] = []) => {
  const data = new Map<string, string>(entries);
  return { data, storage: { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) } };
};

const throwingStorage = {
  getItem: (): string | null => {
    throw new Error('SecurityError');
  },
  setItem: (): void => {
    throw new Error('QuotaExceededError');
  },
};

describe('LocalStorageDevicePreferences: devices', () => {
  it('round-trips the chosen microphone and speaker', () => {
    const { storage } = memoryStorage();
    const preferences = new LocalStorageDevicePreferences(storage);
    expect(preferences.load()).toEqual({ input: null, output: null, ringtone: null });
    preferences.save({ input: { deviceId: 'mic-1', label: 'Headset' }, output: null });
    expect(preferences.load()).toEqual({ input: { deviceId: 'mic-1', label: 'Headset' }, output: null, ringtone: null });
  });

  it('anything malformed reads as no preference; over-long or empty ids are dropped', () => {
    expect(parseDevicePreferences('{')).toEqual({ input: null, output: null, ringtone: null });
    expect(parseDevicePreferences('"text"')).toEqual({ input: null, output: null, ringtone: null });
    expect(parseDevicePreferences(JSON.stringify({ input: { deviceId: '' }, output: { deviceId: 'x'.repeat(513) } }))).toEqual({ input: null, output: null, ringtone: null });
    expect(parseDevicePreferences(JSON.stringify({ input: { deviceId: 'mic', label: 7 } }))).toEqual({ input: { deviceId: 'mic', label: '' }, output: null, ringtone: null });
  });

  it('a throwing storage (private mode, quota) is survived', () => {
    const preferences = new LocalStorageDevicePreferences(throwingStorage);
    expect(preferences.load()).toEqual({ input: null, output: null, ringtone: null });
    expect(() => preferences.save({ input: null, output: null })).not.toThrow();
  });

  it('no storage at all behaves as empty', () => {
    const preferences = new LocalStorageDevicePreferences(null);
    preferences.save({ input: { deviceId: 'mic-1', label: '' }, output: null });
    expect(preferences.load()).toEqual({ input: null, output: null, ringtone: null });
  });
});

describe('LocalStorageDevicePreferences: edge', () => {
  it('round-trips through localStorage under its own key, leaving the device entry alone', () => {
    const { data, storage } = memoryStorage([['switchboard.audio-devices.v1', '{"input":null,"output":null}']]);
    const preferences = new LocalStorageDevicePreferences(storage);
    expect(preferences.loadEdgePreference()).toBe('configured');
    preferences.saveEdgePreference('sao-paulo');
    expect(preferences.loadEdgePreference()).toBe('sao-paulo');
    expect(data.get('switchboard.audio-devices.v1')).toBe('{"input":null,"output":null}');
  });

  it('anything unknown or corrupt reads as the server default; a throwing storage is survived', () => {
    expect(parseEdgePreference('"mars"')).toBe('configured');
    expect(parseEdgePreference('{')).toBe('configured');
    expect(parseEdgePreference('42')).toBe('configured');
    expect(parseEdgePreference(null)).toBe('configured');
    const throwing = new LocalStorageDevicePreferences(throwingStorage);
    expect(throwing.loadEdgePreference()).toBe('configured');
    expect(() => throwing.saveEdgePreference('dublin')).not.toThrow();
  });

  it('keeps the ringtone device with the others, and reads a saved one back', () => {
    const preferences = new LocalStorageDevicePreferences(memoryStorage().storage);
    const chosen = { input: null, output: { deviceId: 'spk-1', label: 'Desk speaker' }, ringtone: { deviceId: 'spk-2', label: 'Loud speaker' } };
    preferences.save(chosen);
    expect(preferences.load()).toEqual(chosen);
    expect(parseDevicePreferences(JSON.stringify({ ringtone: { deviceId: '' } }))).toEqual({ input: null, output: null, ringtone: null });
  });
});
