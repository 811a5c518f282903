import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sandbox-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the embedded sandbox: port 8443, the API on :3000, the shared credentials and numbers', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8443);
    expect(config.faults).toBe(false);
    expect(config.apiKeys[0]).toEqual({ sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid: SANDBOX_CREDENTIALS.accountSid });
    expect(config.applications[0]).toMatchObject({ sid: SANDBOX_CREDENTIALS.twimlAppSid, voiceUrl: 'http://127.0.0.1:3000/webhooks/voice/outgoing' });
    expect(config.numbers[0]).toMatchObject({ number: SANDBOX_NUMBERS.support, voiceUrl: 'http://127.0.0.1:3000/webhooks/voice/incoming' });
    expect(config.scriptedNumbers[SANDBOX_NUMBERS.busy]).toBe('busy');
  });

  it('applies env overrides and re-points every URL at SANDBOX_API_BASE_URL', () => {
    const config = loadConfig({ SANDBOX_PORT: '9443', SANDBOX_API_BASE_URL: 'http://127.0.0.1:3999', SANDBOX_FAULTS: 'on', SANDBOX_DATA_DIR: dir });
    expect(config).toMatchObject({ port: 9443, faults: true, dataDir: dir });
    expect(config.applications[0].voiceUrl).toBe('http://127.0.0.1:3999/webhooks/voice/outgoing');
    expect(config.numbers[0].statusCallback).toBe('http://127.0.0.1:3999/webhooks/voice/status');
  });

  it('reads a JSON file whose keys replace the defaults', () => {
    const file = join(dir, 'sandbox.json');
    writeFileSync(file, JSON.stringify({ port: 10443, scriptedNumbers: { '+15005550006': 'answersWithTone' } }));
    const config = loadConfig({ SANDBOX_CONFIG: file });
    expect(config.port).toBe(10443);
    expect(config.scriptedNumbers).toEqual({ '+15005550006': 'answersWithTone' });
  });

  it('reads voice fallback URLs of applications and numbers, re-pointed like the other URLs', () => {
    const file = join(dir, 'fallback.json');
    const base = loadConfig({});
    writeFileSync(file, JSON.stringify({
      applications: base.applications.map((a) => ({ ...a, voiceFallbackUrl: 'http://127.0.0.1:3000/webhooks/voice/fallback', voiceFallbackMethod: 'GET' })),
      numbers: base.numbers.map((n) => ({ ...n, voiceFallbackUrl: 'http://127.0.0.1:3000/webhooks/voice/fallback#ct=1000' })),
    }));
    const config = loadConfig({ SANDBOX_CONFIG: file, SANDBOX_API_BASE_URL: 'http://127.0.0.1:3999' });
    expect(config.applications[0]).toMatchObject({ voiceFallbackUrl: 'http://127.0.0.1:3999/webhooks/voice/fallback', voiceFallbackMethod: 'GET' });
    expect(config.numbers[0].voiceFallbackUrl).toBe('http://127.0.0.1:3999/webhooks/voice/fallback#ct=1000');

    writeFileSync(file, JSON.stringify({ applications: base.applications.map((a) => ({ ...a, voiceFallbackUrl: 'nope', voiceFallbackMethod: 'PUT' })) }));
    expect(() => loadConfig({ SANDBOX_CONFIG: file })).toThrow(/applications\[0\]\.voiceFallbackUrl must be an http\(s\) URL[\s\S]*voiceFallbackMethod must be GET or POST/);
  });

  it('lists every problem of a bad file in one clear error', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ port: 70000, announcedIp: 'localhost', apiKeys: [{ sid: 'SKnope', secret: 'short', accountSid: 'ACx' }], scriptedNumbers: { '555': 'sings' } }));
    let error: unknown;
    try {
      loadConfig({ SANDBOX_CONFIG: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const expected of ['port must be', 'announcedIp', 'apiKeys[0].sid', 'apiKeys[0].secret', 'apiKeys[0].accountSid', 'scriptedNumbers key 555', 'scriptedNumbers[555]']) {
      expect(message).toContain(expected);
    }
  });

  it('refuses unreadable files, non-objects and a malformed API base URL', () => {
    expect(() => loadConfig({ SANDBOX_CONFIG: join(dir, 'missing.json') })).toThrow(/Cannot read SANDBOX_CONFIG/);
    const file = join(dir, 'array.json');
    writeFileSync(file, '[]');
    expect(() => loadConfig({ SANDBOX_CONFIG: file })).toThrow(/must hold a JSON object/);
    expect(() => loadConfig({ SANDBOX_API_BASE_URL: 'ftp://x/y' })).toThrow(/SANDBOX_API_BASE_URL/);
    expect(() => loadConfig({ SANDBOX_PORT: 'abc' })).toThrow(/port must be/);
  });
});
