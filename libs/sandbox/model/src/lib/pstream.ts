/**
 * PStream 1.6, the Voice JS SDK's signaling protocol, as typed messages: what the SDK sends
 * (`InboundMessage`), what the sandbox sends (`OutboundMessage`), and `decode()`, the one place a
 * text frame becomes a message, or an answer for a frame that is not one.
 *
 * Frames are JSON `{type, version, payload}`; a bare "\n" is a heartbeat.
 */

export const PSTREAM_VERSION = '1.6';
export const PSTREAM_HEARTBEAT = '\n';

/** `error` and `hangup` payloads carry `{code, message}`; the SDK maps the code to its TwilioError classes. */
export interface SignalingError {
  readonly code: number;
  readonly message: string;
}

/**
 * The SDK's own classes for a request the gateway could not understand (errors/generated.ts):
 * 31100 MalformedRequestError, 31102 AuthorizationTokenMissingError, 31107 ReconnectParameterInvalidError.
 */
export const MALFORMED_REQUEST = 31100;
export const TOKEN_MISSING = 31102;
export const RECONNECT_PARAMETER_INVALID = 31107;

// ---- SDK → sandbox ----

export interface ListenPayload {
  readonly token: string;
  /** Seconds the SDK waits for a dropped call's signaling to come back (0 when absent). */
  readonly reconnectTimeout: number;
}

export interface RegisterPayload {
  readonly media: { readonly audio: boolean };
}

/** `device.connect()`: `callsid` is the SDK's temporary `TJS…` id; `twilio.params` is the URL-encoded `params`. */
export interface NewCallInvite {
  readonly callsid: string;
  readonly sdp: string;
  readonly reconnect?: undefined;
  readonly twilio: { readonly params?: string };
}

/** After a signaling drop: the call's CallSid and the reconnect token the sandbox gave it. */
export interface ReconnectInvite {
  readonly callsid: string;
  readonly reconnect: string;
  readonly sdp?: string;
  readonly twilio: { readonly params?: string };
}

export interface CallMessagePayload {
  readonly callsid: string;
  readonly content: unknown;
  readonly contenttype?: string;
  readonly messagetype?: string;
  readonly voiceeventsid: string;
}

export type InboundMessage =
  | { readonly type: 'listen'; readonly payload: ListenPayload }
  | { readonly type: 'register'; readonly payload: RegisterPayload }
  | { readonly type: 'invite'; readonly payload: NewCallInvite | ReconnectInvite }
  | { readonly type: 'answer'; readonly payload: { readonly callsid: string; readonly sdp: string } }
  | { readonly type: 'reject'; readonly payload: { readonly callsid: string } }
  | { readonly type: 'hangup'; readonly payload: { readonly callsid: string; readonly message?: string } }
  | { readonly type: 'message'; readonly payload: CallMessagePayload }
  | { readonly type: 'reinvite'; readonly payload: { readonly callsid: string; readonly sdp: string } }
  | { readonly type: 'dtmf'; readonly payload: { readonly callsid: string; readonly dtmf: string } };

export type InboundType = InboundMessage['type'];

// ---- sandbox → SDK ----

/** `invite.parameters`: the SDK's `call.parameters`; `Params` becomes `call.customParameters`. */
export interface IncomingCallParameters {
  readonly AccountSid: string;
  readonly ApiVersion: string;
  readonly CallSid: string;
  readonly From: string;
  readonly To: string;
  readonly Params?: string;
}

type Empty = Readonly<Record<string, never>>;

export type OutboundMessage =
  | { readonly type: 'connected'; readonly payload: { readonly edge: string; readonly token: { readonly identity: string; readonly ttl: number } } }
  | { readonly type: 'ready'; readonly payload: Empty }
  | { readonly type: 'offline'; readonly payload: Empty }
  | { readonly type: 'close'; readonly payload: Empty }
  | {
      readonly type: 'error';
      readonly payload: { readonly error: SignalingError; readonly callsid?: string; readonly voiceeventsid?: string };
    }
  | {
      readonly type: 'invite';
      readonly payload: { readonly callsid: string; readonly sdp: string; readonly reconnect: string; readonly parameters: IncomingCallParameters };
    }
  | { readonly type: 'ringing'; readonly payload: { readonly callsid: string } }
  | { readonly type: 'answer'; readonly payload: { readonly callsid: string; readonly sdp?: string; readonly reconnect?: string } }
  | { readonly type: 'hangup'; readonly payload: { readonly callsid: string; readonly error?: SignalingError } }
  | { readonly type: 'cancel'; readonly payload: { readonly callsid: string } }
  | { readonly type: 'message'; readonly payload: Required<CallMessagePayload> }
  | { readonly type: 'ack'; readonly payload: { readonly acktype: 'message'; readonly callsid: string; readonly voiceeventsid: string } };

export function encode(message: OutboundMessage): string {
  return JSON.stringify({ type: message.type, version: PSTREAM_VERSION, payload: message.payload });
}

// ---- decode ----

export type DecodeResult =
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'message'; readonly message: InboundMessage }
  /** A well-formed frame of a type the sandbox does not handle: ignored, as newer SDKs may add types. */
  | { readonly kind: 'unknown'; readonly type: string }
  /**
   * Not a message the sandbox can act on. `reply` is what goes back to the SDK; `fatal` means the
   * session is over (the transport follows the reply with `close` and closes the socket).
   */
  | { readonly kind: 'malformed'; readonly reason: string; readonly reply: OutboundMessage; readonly fatal: boolean };

type Payload = Readonly<Record<string, unknown>>;

/** Thrown inside decode only; turned into the `malformed` result. */
class Malformed {
  constructor(
    readonly reason: string,
    readonly reply: OutboundMessage,
    readonly fatal = false,
  ) {}
}

/**
 * A text frame from the SDK as a typed message. A frame that is not a message is answered so the
 * SDK does not wait forever:
 * - not JSON, or no `type`/`payload` object, or a call message without `callsid`: `error` 31100
 *   (never a `hangup` without `callsid`, which would end every call on the socket);
 * - `listen` without a token: `error` 31102, then the session closes, as for any token failure;
 * - a call message that names its call but lacks what it needs: `hangup` of that call with 31100
 *   (`invite`, `answer`, `reinvite`), 31107 for a non-string reconnect token; `error` with the
 *   callsid for `dtmf` (the call goes on); `error` with callsid and voiceeventsid for `message`
 *   (the SDK reports it as that message's failure).
 */
export function decode(frame: string): DecodeResult {
  if (frame === PSTREAM_HEARTBEAT) return { kind: 'heartbeat' };
  try {
    const { type, payload } = envelope(frame);
    const message = decodePayload(type, payload);
    return message ? { kind: 'message', message } : { kind: 'unknown', type };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { kind: 'malformed', reason: error.reason, reply: error.reply, fatal: error.fatal };
  }
}

function envelope(frame: string): { type: string; payload: Payload } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    throw malformed('frame is not JSON');
  }
  if (!isObject(parsed)) throw malformed('frame is not a JSON object');
  const { type, payload } = parsed;
  if (typeof type !== 'string' || type.length === 0) throw malformed('frame has no type');
  // The SDK always sends a payload; a missing one reads as empty so the type's own checks answer.
  if (payload !== undefined && !isObject(payload)) throw malformed(`${type}: payload is not an object`);
  return { type, payload: payload ?? {} };
}

function decodePayload(type: string, p: Payload): InboundMessage | undefined {
  switch (type) {
    case 'listen': {
      if (typeof p['token'] !== 'string' || p['token'].length === 0) {
        throw new Malformed('listen: no token', errorReply(TOKEN_MISSING, 'Authorization token missing in request.'), true);
      }
      const timeout = p['reconnectTimeout'];
      return { type, payload: { token: p['token'], reconnectTimeout: typeof timeout === 'number' && Number.isFinite(timeout) ? timeout : 0 } };
    }
    case 'register': {
      const media = p['media'];
      if (!isObject(media) || typeof media['audio'] !== 'boolean') throw malformed('register: media.audio is not a boolean');
      return { type, payload: { media: { audio: media['audio'] } } };
    }
    case 'invite':
      return { type, payload: decodeInvite(p) };
    case 'answer':
    case 'reinvite': {
      const callsid = requireCallSid(type, p);
      if (typeof p['sdp'] !== 'string') throw hangupMalformed(callsid, `${type}: no sdp`);
      return { type, payload: { callsid, sdp: p['sdp'] } };
    }
    case 'reject':
      return { type, payload: { callsid: requireCallSid(type, p) } };
    case 'hangup': {
      const callsid = requireCallSid(type, p);
      return { type, payload: typeof p['message'] === 'string' ? { callsid, message: p['message'] } : { callsid } };
    }
    case 'dtmf': {
      const callsid = requireCallSid(type, p);
      const dtmf = p['dtmf'];
      if (typeof dtmf !== 'string' || !/^[0-9*#wA-D]{1,64}$/.test(dtmf)) {
        throw new Malformed('dtmf: digits are not 1-64 of 0-9 * # w A-D', errorReply(MALFORMED_REQUEST, 'Malformed dtmf digits', { callsid }));
      }
      return { type, payload: { callsid, dtmf } };
    }
    case 'message':
      return { type, payload: decodeCallMessage(p) };
    default:
      return undefined;
  }
}

function decodeInvite(p: Payload): NewCallInvite | ReconnectInvite {
  const callsid = requireCallSid('invite', p);
  const twilio = isObject(p['twilio']) && typeof p['twilio']['params'] === 'string' ? { params: p['twilio']['params'] } : {};
  const sdp = typeof p['sdp'] === 'string' ? p['sdp'] : undefined;
  const reconnect = p['reconnect'];
  if (reconnect !== undefined) {
    if (typeof reconnect !== 'string' || reconnect.length === 0) {
      throw new Malformed('invite: reconnect is not a token', hangupReply(callsid, RECONNECT_PARAMETER_INVALID, 'The reconnect parameter is invalid'));
    }
    return { callsid, reconnect, twilio, ...(sdp !== undefined && { sdp }) };
  }
  if (sdp === undefined) throw hangupMalformed(callsid, 'invite: no sdp');
  return { callsid, sdp, twilio };
}

function decodeCallMessage(p: Payload): CallMessagePayload {
  const callsid = requireCallSid('message', p);
  const voiceeventsid = p['voiceeventsid'];
  if (typeof voiceeventsid !== 'string' || voiceeventsid.length === 0) {
    throw new Malformed('message: no voiceeventsid', errorReply(MALFORMED_REQUEST, 'Malformed message: no voiceeventsid', { callsid }));
  }
  if (p['content'] === undefined || p['content'] === null) {
    throw new Malformed('message: no content', errorReply(MALFORMED_REQUEST, 'Malformed message: no content', { callsid, voiceeventsid }));
  }
  return {
    callsid,
    voiceeventsid,
    content: p['content'],
    ...(typeof p['contenttype'] === 'string' && { contenttype: p['contenttype'] }),
    ...(typeof p['messagetype'] === 'string' && { messagetype: p['messagetype'] }),
  };
}

function requireCallSid(type: string, p: Payload): string {
  const callsid = p['callsid'];
  if (typeof callsid !== 'string' || callsid.length === 0) throw malformed(`${type}: no callsid`);
  return callsid;
}

function malformed(reason: string): Malformed {
  return new Malformed(reason, errorReply(MALFORMED_REQUEST, `Malformed request: ${reason}`));
}

function hangupMalformed(callsid: string, reason: string): Malformed {
  return new Malformed(reason, hangupReply(callsid, MALFORMED_REQUEST, `Malformed request: ${reason}`));
}

function errorReply(code: number, message: string, ids: { callsid?: string; voiceeventsid?: string } = {}): OutboundMessage {
  return { type: 'error', payload: { error: { code, message }, ...ids } };
}

function hangupReply(callsid: string, code: number, message: string): OutboundMessage {
  return { type: 'hangup', payload: { callsid, error: { code, message } } };
}

function isObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
