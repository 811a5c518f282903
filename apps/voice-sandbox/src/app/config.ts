import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import {
  API_DEFAULT_PORT,
  SANDBOX_CREDENTIALS,
  SANDBOX_DEFAULT_PORT,
  SANDBOX_NUMBERS,
} from '@switchboard/shared-sandbox-defaults';
import type { ScriptedBehaviour } from '@switchboard/sandbox-data-access-calls';

export interface SandboxAccount {
  readonly sid: string;
  readonly authToken: string;
}
export interface SandboxApiKey {
  readonly sid: string;
  readonly secret: string;
  readonly accountSid: string;
}
export interface SandboxApplication {
  readonly sid: string;
  readonly accountSid: string;
  readonly voiceUrl: string;
  readonly voiceMethod: 'GET' | 'POST';
  /** Twilio's VoiceFallbackUrl: requested (with ErrorCode, ErrorUrl) when the voice URL's TwiML cannot be fetched or run. */
  readonly voiceFallbackUrl?: string;
  readonly voiceFallbackMethod?: 'GET' | 'POST';
  readonly statusCallback?: string;
  readonly statusCallbackMethod: 'GET' | 'POST';
}
export interface SandboxNumber {
  readonly number: string;
  readonly accountSid: string;
  readonly voiceUrl: string;
  readonly voiceMethod: 'GET' | 'POST';
  /** The number's voice fallback URL, as for applications. */
  readonly voiceFallbackUrl?: string;
  readonly voiceFallbackMethod?: 'GET' | 'POST';
  readonly statusCallback?: string;
}

/** The whole sandbox configuration: one JSON file (SANDBOX_CONFIG), defaults, env overrides. */
export interface SandboxConfig {
  readonly port: number;
  /** Interface the HTTPS server binds; loopback by default. */
  readonly host: string;
  /** The address put in our SDP candidates (the browser sends media there). */
  readonly announcedIp: string;
  readonly dataDir: string;
  /** PEM files; generated under dataDir/tls on first run when absent. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly faults: boolean;
  readonly accounts: readonly SandboxAccount[];
  readonly apiKeys: readonly SandboxApiKey[];
  readonly applications: readonly SandboxApplication[];
  readonly numbers: readonly SandboxNumber[];
  readonly scriptedNumbers: Readonly<Record<string, ScriptedBehaviour>>;
}

const SCRIPTED: readonly ScriptedBehaviour[] = ['answersAndEchoes', 'answersWithTone', 'busy', 'noAnswer', 'fails'];

export function defaultConfig(apiBaseUrl = `http://127.0.0.1:${API_DEFAULT_PORT}`): SandboxConfig {
  const api = apiBaseUrl.replace(/\/+$/, '');
  const accountSid = SANDBOX_CREDENTIALS.accountSid;
  return {
    port: SANDBOX_DEFAULT_PORT,
    host: '127.0.0.1',
    announcedIp: '127.0.0.1',
    dataDir: '.data/sandbox',
    faults: false,
    accounts: [{ sid: accountSid, authToken: SANDBOX_CREDENTIALS.authToken }],
    apiKeys: [{ sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid }],
    applications: [
      {
        sid: SANDBOX_CREDENTIALS.twimlAppSid,
        accountSid,
        voiceUrl: `${api}/webhooks/voice/outgoing`,
        voiceMethod: 'POST',
        statusCallback: `${api}/webhooks/voice/status`,
        statusCallbackMethod: 'POST',
      },
    ],
    numbers: [
      {
        number: SANDBOX_NUMBERS.support,
        accountSid,
        voiceUrl: `${api}/webhooks/voice/incoming`,
        voiceMethod: 'POST',
        statusCallback: `${api}/webhooks/voice/status`,
      },
      {
        number: SANDBOX_NUMBERS.sales,
        accountSid,
        voiceUrl: `${api}/webhooks/voice/incoming`,
        voiceMethod: 'POST',
        statusCallback: `${api}/webhooks/voice/status`,
      },
    ],
    scriptedNumbers: {
      [SANDBOX_NUMBERS.answersAndEchoes]: 'answersAndEchoes',
      [SANDBOX_NUMBERS.answersWithTone]: 'answersWithTone',
      [SANDBOX_NUMBERS.busy]: 'busy',
      [SANDBOX_NUMBERS.noAnswer]: 'noAnswer',
      [SANDBOX_NUMBERS.fails]: 'fails',
    },
  };
}

export class ConfigError extends Error {}

/**
 * Defaults, then the JSON file named by SANDBOX_CONFIG (top-level keys replace defaults), then
 * SANDBOX_PORT / SANDBOX_ANNOUNCED_IP / SANDBOX_DATA_DIR / SANDBOX_FAULTS. SANDBOX_API_BASE_URL
 * re-points every default webhook URL at another API origin. Throws ConfigError with every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const apiBase = env['SANDBOX_API_BASE_URL'];
  if (apiBase !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(apiBase)) {
    throw new ConfigError(`SANDBOX_API_BASE_URL must be an origin like http://127.0.0.1:3000, got "${apiBase}"`);
  }
  let merged: Record<string, unknown> = { ...defaultConfig(apiBase) };
  const file = env['SANDBOX_CONFIG'];
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`Cannot read SANDBOX_CONFIG ${file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`SANDBOX_CONFIG ${file} must hold a JSON object`);
    }
    merged = { ...merged, ...(parsed as Record<string, unknown>) };
    if (apiBase) merged = { ...merged, applications: repoint(merged['applications'], apiBase), numbers: repoint(merged['numbers'], apiBase) };
  }
  if (env['SANDBOX_PORT'] !== undefined) merged['port'] = Number(env['SANDBOX_PORT']);
  if (env['SANDBOX_ANNOUNCED_IP'] !== undefined) merged['announcedIp'] = env['SANDBOX_ANNOUNCED_IP'];
  if (env['SANDBOX_DATA_DIR'] !== undefined) merged['dataDir'] = env['SANDBOX_DATA_DIR'];
  if (env['SANDBOX_FAULTS'] !== undefined) merged['faults'] = env['SANDBOX_FAULTS'] === 'on';
  return validateConfig(merged);
}

function repoint(list: unknown, apiBase: string): unknown {
  if (!Array.isArray(list)) return list;
  const origin = apiBase.replace(/\/+$/, '');
  const swap = (url: unknown): unknown => (typeof url === 'string' ? url.replace(/^https?:\/\/[^/]+/, origin) : url);
  return list.map((item: Record<string, unknown>) => ({
    ...item,
    voiceUrl: swap(item['voiceUrl']),
    voiceFallbackUrl: swap(item['voiceFallbackUrl']),
    statusCallback: swap(item['statusCallback']),
  }));
}

export function validateConfig(raw: Record<string, unknown>): SandboxConfig {
  const problems: string[] = [];
  const config = raw as unknown as SandboxConfig;
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) problems.push(`port must be 0-65535, got ${String(raw['port'])}`);
  if (!isIP(String(config.host))) problems.push(`host must be an IP address, got ${String(raw['host'])}`);
  if (!isIP(String(config.announcedIp))) problems.push(`announcedIp must be an IP address, got ${String(raw['announcedIp'])}`);
  if (typeof config.dataDir !== 'string' || !config.dataDir) problems.push('dataDir must be a path');
  if (typeof config.faults !== 'boolean') problems.push('faults must be true or false');
  const sid = (prefix: string, value: unknown): boolean => typeof value === 'string' && new RegExp(`^${prefix}[0-9a-f]{32}$`).test(value);
  const list = (name: string): Record<string, unknown>[] => {
    const value = raw[name];
    if (!Array.isArray(value)) {
      problems.push(`${name} must be an array`);
      return [];
    }
    return value as Record<string, unknown>[];
  };
  const accounts = list('accounts');
  const accountSids = new Set(accounts.map((a) => a['sid']));
  accounts.forEach((a, i) => {
    if (!sid('AC', a['sid'])) problems.push(`accounts[${i}].sid must be AC + 32 hex`);
    if (typeof a['authToken'] !== 'string' || a['authToken'].length < 16) problems.push(`accounts[${i}].authToken must be ≥ 16 characters`);
  });
  list('apiKeys').forEach((k, i) => {
    if (!sid('SK', k['sid'])) problems.push(`apiKeys[${i}].sid must be SK + 32 hex`);
    if (typeof k['secret'] !== 'string' || k['secret'].length < 16) problems.push(`apiKeys[${i}].secret must be ≥ 16 characters`);
    if (!accountSids.has(k['accountSid'])) problems.push(`apiKeys[${i}].accountSid is not a configured account`);
  });
  const url = (value: unknown): boolean => typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
  const fallback = (name: string, item: Record<string, unknown>): void => {
    if (item['voiceFallbackUrl'] !== undefined && !url(item['voiceFallbackUrl'])) problems.push(`${name}.voiceFallbackUrl must be an http(s) URL`);
    if (item['voiceFallbackMethod'] !== undefined && !['GET', 'POST'].includes(String(item['voiceFallbackMethod']))) {
      problems.push(`${name}.voiceFallbackMethod must be GET or POST`);
    }
  };
  list('applications').forEach((a, i) => {
    if (!sid('AP', a['sid'])) problems.push(`applications[${i}].sid must be AP + 32 hex`);
    if (!accountSids.has(a['accountSid'])) problems.push(`applications[${i}].accountSid is not a configured account`);
    if (!url(a['voiceUrl'])) problems.push(`applications[${i}].voiceUrl must be an http(s) URL`);
    if (a['statusCallback'] !== undefined && !url(a['statusCallback'])) problems.push(`applications[${i}].statusCallback must be an http(s) URL`);
    if (!['GET', 'POST'].includes(String(a['voiceMethod']))) problems.push(`applications[${i}].voiceMethod must be GET or POST`);
    fallback(`applications[${i}]`, a);
  });
  list('numbers').forEach((n, i) => {
    if (typeof n['number'] !== 'string' || !/^\+[1-9]\d{6,14}$/.test(n['number'])) problems.push(`numbers[${i}].number must be E.164`);
    if (!accountSids.has(n['accountSid'])) problems.push(`numbers[${i}].accountSid is not a configured account`);
    if (!url(n['voiceUrl'])) problems.push(`numbers[${i}].voiceUrl must be an http(s) URL`);
    fallback(`numbers[${i}]`, n);
  });
  const scripted = raw['scriptedNumbers'];
  if (typeof scripted !== 'object' || scripted === null) problems.push('scriptedNumbers must be an object');
  else {
    for (const [number, behaviour] of Object.entries(scripted)) {
      if (!/^\+[1-9]\d{6,14}$/.test(number)) problems.push(`scriptedNumbers key ${number} must be E.164`);
      if (!SCRIPTED.includes(behaviour as ScriptedBehaviour)) problems.push(`scriptedNumbers[${number}] must be one of ${SCRIPTED.join(', ')}`);
    }
  }
  if (config.tls !== undefined && (typeof config.tls?.certFile !== 'string' || typeof config.tls?.keyFile !== 'string')) {
    problems.push('tls must be {certFile, keyFile}');
  }
  if (problems.length) throw new ConfigError(`Invalid sandbox configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}
