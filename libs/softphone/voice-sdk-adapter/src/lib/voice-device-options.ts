import { InjectionToken } from '@angular/core';
import { API_ROUTES, type ClientConfig } from '@switchboard/shared-contracts';
import { sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { isVoiceLogLevel, type CallId, type VoiceLogLevel } from '@switchboard/shared-voice-model';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { VoiceSdkModule } from './sdk-types';

/**
 * WebRTC entry points the SDK should use instead of the browser's. Virtual desktops (Citrix
 * HDX, VMware Horizon, AVD) offload media to the endpoint through their own implementations;
 * see the README for a Citrix example.
 */
export interface WebRtcOverrides {
  readonly getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  readonly enumerateDevices?: () => Promise<MediaDeviceInfo[]>;
  readonly RTCPeerConnection?: typeof RTCPeerConnection;
  /** Called with each call's remote `<audio>` element (the Call `audio` event), e.g. to map it into a VDI redirection. */
  readonly onCallAudio?: (audio: HTMLAudioElement, callId: CallId) => void;
}

export interface VoiceDeviceOptions {
  readonly logLevel: VoiceLogLevel;
  /** `roaming` (Twilio picks) or an ordered fallback list such as `['ashburn', 'dublin']`. */
  readonly edge: string | readonly string[];
  readonly dscp: boolean;
  /** How long before the token expires the SDK emits `tokenWillExpire`. */
  readonly tokenRefreshMs: number;
  readonly codecPreferences: readonly ('opus' | 'pcmu')[];
  /** Stay on the call's edge this long when signaling drops, so a call survives a network change. */
  readonly maxCallSignalingTimeoutMs: number;
  readonly closeProtection: boolean | string;
  /** Needed for call waiting: a second incoming call rings during a call. */
  readonly allowIncomingWhileBusy: boolean;
  /** Busy, no-answer and declined arrive as 31486/31480/31603 instead of a generic 31005. */
  readonly enableImprovedSignalingErrorPrecision: boolean;
  readonly webRtc: WebRtcOverrides;
  /** SDK call/audio volume events arrive every 50 ms; the store sees at most this many per second. */
  readonly volumeEventsPerSecond: number;
  /** Further SDK options, merged last (escape hatch; e.g. `appName`, `sounds`). */
  readonly extra: Readonly<Record<string, unknown>>;
}

export const DEFAULT_VOICE_DEVICE_OPTIONS: VoiceDeviceOptions = {
  logLevel: 'warn',
  edge: 'roaming',
  dscp: true,
  tokenRefreshMs: 30_000,
  codecPreferences: ['opus', 'pcmu'],
  maxCallSignalingTimeoutMs: 30_000,
  closeProtection: true,
  allowIncomingWhileBusy: true,
  enableImprovedSignalingErrorPrecision: true,
  webRtc: {},
  volumeEventsPerSecond: 10,
  extra: {},
};

/** The one token for every Device option, WebRTC overrides included. */
export const VOICE_DEVICE_OPTIONS = new InjectionToken<VoiceDeviceOptions>('VOICE_DEVICE_OPTIONS', {
  providedIn: 'root',
  factory: () => DEFAULT_VOICE_DEVICE_OPTIONS,
});

/** Loads the SDK module: at the first registration, or earlier by provideVoiceSdkPreload once the first screen is idle; never before first paint. */
export type LoadVoiceSdk = () => Promise<VoiceSdkModule>;

export const LOAD_VOICE_SDK = new InjectionToken<LoadVoiceSdk>('LOAD_VOICE_SDK', {
  providedIn: 'root',
  // A dynamic import: the bundler puts the SDK in its own lazy chunk.
  factory: () => () => import('@twilio/voice-sdk') as unknown as Promise<VoiceSdkModule>,
});

/** Where the public client configuration comes from (mode, sandbox host, edge, log level). */
export type LoadClientConfig = () => Promise<ClientConfig | null>;

export const LOAD_CLIENT_CONFIG = new InjectionToken<LoadClientConfig>('LOAD_CLIENT_CONFIG', {
  providedIn: 'root',
  factory: () => fetchClientConfig,
});

/** Scheduler for throttling; tests pass a virtual one. */
export const VOICE_ADAPTER_SCHEDULER = new InjectionToken<SchedulerLike>('VOICE_ADAPTER_SCHEDULER', {
  providedIn: 'root',
  factory: () => asyncScheduler,
});

/** Issue 14: when the server does not say, a line test older than a day is offered again. */
export const DEFAULT_LINE_TEST_MAX_AGE_HOURS = 24;

/** GET /api/client-config, validated; null when unreachable or malformed (the defaults then apply). */
export async function fetchClientConfig(): Promise<ClientConfig | null> {
  if (typeof fetch !== 'function') return null;
  try {
    const response = await fetch(API_ROUTES.clientConfig, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    return parseClientConfig(await response.json());
  } catch {
    return null;
  }
}

export function parseClientConfig(value: unknown): ClientConfig | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const mode = v['mode'];
  if (mode !== 'sandbox' && mode !== 'twilio') return null;
  const edge = Array.isArray(v['edge']) ? v['edge'].filter((e): e is string => typeof e === 'string' && e.trim() !== '') : [];
  const logLevel = typeof v['logLevel'] === 'string' && isVoiceLogLevel(v['logLevel']) ? v['logLevel'] : 'warn';
  const tokenRefreshMs = typeof v['tokenRefreshMs'] === 'number' && Number.isFinite(v['tokenRefreshMs']) && v['tokenRefreshMs'] > 0 ? v['tokenRefreshMs'] : DEFAULT_VOICE_DEVICE_OPTIONS.tokenRefreshMs;
  const str = (key: string): string | null => (typeof v[key] === 'string' && (v[key] as string).trim() !== '' ? (v[key] as string) : null);
  const maxAge = v['lineTestMaxAgeHours'];
  const lineTestMaxAgeHours = typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0 ? maxAge : DEFAULT_LINE_TEST_MAX_AGE_HOURS;
  return { mode, sandboxSignalingHost: str('sandboxSignalingHost'), sandboxOrigin: str('sandboxOrigin'), edge, logLevel, tokenRefreshMs, lineTestMaxAgeHours };
}

/**
 * The SDK's Device options. Precedence, lowest first: defaults, `provideTwilioVoice(options)`,
 * the server's ClientConfig (edge, log level, token refresh: the operator's per-deployment
 * choice), then in sandbox mode the sandbox's own options (signaling host, no Insights, local
 * sounds), then `extra`.
 */
export function buildDeviceOptions(options: VoiceDeviceOptions, config: ClientConfig | null): Record<string, unknown> {
  const edgeFromConfig = config && config.edge.length > 0 ? (config.edge.length === 1 ? config.edge[0] : [...config.edge]) : null;
  const edge = edgeFromConfig ?? (typeof options.edge === 'string' ? options.edge : [...options.edge]);
  const sdkOptions: Record<string, unknown> = {
    logLevel: config?.logLevel ?? options.logLevel,
    edge,
    dscp: options.dscp,
    tokenRefreshMs: config?.tokenRefreshMs ?? options.tokenRefreshMs,
    codecPreferences: [...options.codecPreferences],
    maxCallSignalingTimeoutMs: options.maxCallSignalingTimeoutMs,
    closeProtection: options.closeProtection,
    allowIncomingWhileBusy: options.allowIncomingWhileBusy,
    enableImprovedSignalingErrorPrecision: options.enableImprovedSignalingErrorPrecision,
  };
  if (options.webRtc.getUserMedia) sdkOptions['getUserMedia'] = options.webRtc.getUserMedia;
  if (options.webRtc.enumerateDevices) sdkOptions['enumerateDevices'] = options.webRtc.enumerateDevices;
  if (options.webRtc.RTCPeerConnection) sdkOptions['RTCPeerConnection'] = options.webRtc.RTCPeerConnection;
  if (config?.mode === 'sandbox') {
    if (!config.sandboxSignalingHost) throw new Error('Sandbox mode needs sandboxSignalingHost in the client configuration');
    const sandbox = sandboxDeviceOptions({ signalingHost: config.sandboxSignalingHost, soundsOrigin: config.sandboxOrigin ?? undefined });
    Object.assign(sdkOptions, { chunderw: sandbox.chunderw, publishEvents: sandbox.publishEvents, sounds: { ...sandbox.sounds } });
  }
  return { ...sdkOptions, ...options.extra };
}

