/**
 * The voice sandbox's own well-formed fake credentials and numbers. They are the only credentials
 * committed to the repository: they open nothing but the local sandbox, and they are what the API
 * uses by default in SWITCHBOARD_MODE=sandbox, so `npm start` needs no configuration.
 */
export interface SandboxCredentials {
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKeySid: string;
  readonly apiKeySecret: string;
  readonly twimlAppSid: string;
}

export const SANDBOX_CREDENTIALS: SandboxCredentials = {
  accountSid: 'ACefc1f744e4b84f26a34fcf28eeb49aac',
  authToken: '8c514220389604b8a422ec618db0f784',
  apiKeySid: 'SK00cdd724914de01ca51374d7646ba801',
  apiKeySecret: 'f153cb678b805108534ff485744050c0',
  twimlAppSid: 'AP608ed874e3dd2f3266eabf5051d47045',
};

/** Ports of the embedded default. The sandbox serves signaling, REST and admin on one TLS port. */
export const SANDBOX_DEFAULT_PORT = 8443;
export const SANDBOX_DEFAULT_HOST = '127.0.0.1';
export const API_DEFAULT_PORT = 3000;

/**
 * Numbers of the simulated phone network, in the spirit of Twilio's magic test numbers.
 * 555-01XX numbers are reserved for fiction, so none of these can ever be a real subscriber.
 */
export const SANDBOX_NUMBERS = {
  /** Our inbound support line: routed by the API to the `support` ring group. */
  support: '+14155550100',
  /** Our inbound sales line: routed by the API to the `sales` ring group (alice and bob), the team floor's demo. */
  sales: '+14155550102',
  /** The caller ID our outgoing PSTN calls present. */
  callerId: '+14155550199',
  /** A simulated customer who places inbound calls in scripts. */
  customer: '+14155550150',
  /** `<Dial><Number>` targets with scripted behaviour. */
  answersAndEchoes: '+14155550111',
  answersWithTone: '+14155550112',
  busy: '+14155550122',
  noAnswer: '+14155550133',
  fails: '+14155550144',
} as const;

/** Every sound the Voice SDK's Device loads at construction; each needs a local URL offline. */
export const VOICE_SDK_SOUND_NAMES = [
  'incoming',
  'outgoing',
  'disconnect',
  'dtmf0',
  'dtmf1',
  'dtmf2',
  'dtmf3',
  'dtmf4',
  'dtmf5',
  'dtmf6',
  'dtmf7',
  'dtmf8',
  'dtmf9',
  'dtmfs',
  'dtmfh',
] as const;
export type VoiceSdkSoundName = (typeof VOICE_SDK_SOUND_NAMES)[number];

/** The path under which the sandbox serves each sound as a WAV file: `${origin}/sounds/${name}.wav`. */
export const SANDBOX_SOUNDS_PATH = '/sounds';

/**
 * Device options the client adds in sandbox mode. `chunderw` and `publishEvents` are private SDK
 * options (see shared/research/voice-sdk-signaling.md §2): `chunderw` points signaling at
 * wss://<chunderw>/signal, and `publishEvents: false` is the only switch that stops Insights.
 */
export interface SandboxDeviceOptions {
  readonly chunderw: string;
  readonly publishEvents: false;
  readonly sounds: Readonly<Record<VoiceSdkSoundName, string>>;
}

export interface SandboxEndpoint {
  /** host[:port] of the sandbox as the browser reaches it, e.g. `127.0.0.1:8443`. */
  readonly signalingHost: string;
  /** Origin that serves the sounds; defaults to the sandbox's own https origin. */
  readonly soundsOrigin?: string;
}

export function sandboxDeviceOptions(endpoint: SandboxEndpoint): SandboxDeviceOptions {
  const host = endpoint.signalingHost.trim();
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new Error(`Invalid sandbox signaling host "${host}": expected host[:port], e.g. 127.0.0.1:8443`);
  }
  const origin = (endpoint.soundsOrigin ?? `https://${host}`).replace(/\/+$/, '');
  const sounds = Object.fromEntries(
    VOICE_SDK_SOUND_NAMES.map((name) => [name, `${origin}${SANDBOX_SOUNDS_PATH}/${name}.wav`]),
  ) as Record<VoiceSdkSoundName, string>;
  return { chunderw: host, publishEvents: false, sounds };
}
