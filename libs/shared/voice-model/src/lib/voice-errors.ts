/**
 * Error vocabulary: every code the Voice JS SDK 2.18.5 can raise (its errors/generated.js
 * `errorsByCode`, 39 codes) mapped to what the agent reads, what to do next, and a category that
 * decides the state transition. Plus the app's own failures (token fetch, watchdog, SDK load).
 */
export type VoiceErrorCategory =
  /** The access token was refused or expired: fetch a fresh one and re-register. */
  | 'token'
  /** Account, application or permission configuration: an administrator must act. */
  | 'configuration'
  /** The link to the voice service dropped or timed out: retried automatically. */
  | 'signaling'
  /** Audio path (WebRTC/ICE) failed. */
  | 'media'
  /** Microphone permission or hardware. */
  | 'microphone'
  /** The far end did not take the call (busy, no answer, declined). Not a fault. */
  | 'call-not-answered'
  /** A request we sent was malformed or too large: a bug or a limit. */
  | 'request'
  /** Too many requests: slow down and retry. */
  | 'rate-limit'
  | 'unknown';

export interface VoiceErrorInfo {
  /** The SDK's numeric code, or null for the app's own failures. */
  readonly code: number | null;
  /** The SDK's error class name (e.g. `AccessTokenExpired`) or the app's failure name. */
  readonly name: string;
  readonly category: VoiceErrorCategory;
  /** Plain language: what happened. */
  readonly message: string;
  /** Plain language: what the agent should do now. */
  readonly nextStep: string;
  /** The app retries on its own (the UI says "retrying" rather than asking for action). */
  readonly isRetriedAutomatically: boolean;
}

type Entry = Omit<VoiceErrorInfo, 'code'>;

const TOKEN_NEXT = 'Reconnecting with a fresh sign-in token. If this keeps happening, sign out and sign in again.';
const ADMIN_NEXT = 'Ask your administrator to check the Switchboard voice configuration, then sign in again.';
const BUG_NEXT = 'Try again. If it happens again, copy the diagnostics from Settings and send them to support.';
const NETWORK_NEXT = 'Check your network connection. Switchboard reconnects on its own when the network is back.';

/** Keyed by SDK code. Keep in step with node_modules/@twilio/voice-sdk/es5/twilio/errors/generated.js. */
export const SDK_ERROR_VOCABULARY: Readonly<Record<number, Entry>> = {
  20101: { name: 'AccessTokenInvalid', category: 'token', message: 'The voice service did not accept your sign-in token.', nextStep: TOKEN_NEXT, isRetriedAutomatically: true },
  20104: { name: 'AccessTokenExpired', category: 'token', message: 'Your voice sign-in token expired.', nextStep: TOKEN_NEXT, isRetriedAutomatically: true },
  20151: { name: 'AuthenticationFailed', category: 'configuration', message: 'The voice service could not authenticate this phone.', nextStep: ADMIN_NEXT, isRetriedAutomatically: false },
  31202: { name: 'AccessTokenSignatureValidationFailed', category: 'configuration', message: 'The voice sign-in token has an invalid signature.', nextStep: ADMIN_NEXT, isRetriedAutomatically: false },
  31400: { name: 'BadRequest', category: 'request', message: 'The voice service rejected a request from this phone.', nextStep: BUG_NEXT, isRetriedAutomatically: false },
  31404: { name: 'NotFound', category: 'call-not-answered', message: 'The number or agent you called could not be found.', nextStep: 'Check the number or pick the agent from the directory, then call again.', isRetriedAutomatically: false },
  31480: { name: 'TemporarilyUnavailable', category: 'call-not-answered', message: 'Nobody answered.', nextStep: 'Try again later or leave a message.', isRetriedAutomatically: false },
  31486: { name: 'BusyHere', category: 'call-not-answered', message: 'The line was busy.', nextStep: 'Try again in a few minutes.', isRetriedAutomatically: false },
  31603: { name: 'Decline', category: 'call-not-answered', message: 'The call was declined.', nextStep: 'Try again later or use another way to reach them.', isRetriedAutomatically: false },
  31000: { name: 'UnknownError', category: 'unknown', message: 'Something went wrong with the call.', nextStep: BUG_NEXT, isRetriedAutomatically: false },
  31001: { name: 'ApplicationNotFoundError', category: 'configuration', message: 'The calling application is not configured.', nextStep: ADMIN_NEXT, isRetriedAutomatically: false },
  31002: { name: 'ConnectionDeclinedError', category: 'call-not-answered', message: 'The call could not be connected.', nextStep: 'Check the number and call again.', isRetriedAutomatically: false },
  31003: { name: 'ConnectionTimeoutError', category: 'signaling', message: 'The connection to the voice service timed out.', nextStep: NETWORK_NEXT, isRetriedAutomatically: true },
  31005: { name: 'ConnectionError', category: 'signaling', message: 'The connection to the voice service was lost.', nextStep: NETWORK_NEXT, isRetriedAutomatically: true },
  31008: { name: 'CallCancelledError', category: 'call-not-answered', message: 'The call was cancelled before it connected.', nextStep: 'Call again if you still need to talk.', isRetriedAutomatically: false },
  31009: { name: 'TransportError', category: 'signaling', message: 'The connection to the voice service failed.', nextStep: NETWORK_NEXT, isRetriedAutomatically: true },
  31100: { name: 'MalformedRequestError', category: 'request', message: 'The voice service could not read a request from this phone.', nextStep: BUG_NEXT, isRetriedAutomatically: false },
  31101: { name: 'MissingParameterArrayError', category: 'request', message: 'A request from this phone was missing its parameters.', nextStep: BUG_NEXT, isRetriedAutomatically: false },
  31102: { name: 'AuthorizationTokenMissingError', category: 'token', message: 'A request was sent without a sign-in token.', nextStep: TOKEN_NEXT, isRetriedAutomatically: true },
  31103: { name: 'MaxParameterLengthExceededError', category: 'request', message: 'The call details were too long for the voice service.', nextStep: 'Shorten what you entered and call again.', isRetriedAutomatically: false },
  31104: { name: 'InvalidBridgeTokenError', category: 'request', message: 'The call could not be transferred to this phone.', nextStep: BUG_NEXT, isRetriedAutomatically: false },
  31105: { name: 'InvalidClientNameError', category: 'request', message: 'The agent name is not valid for calling.', nextStep: 'Pick the agent from the directory and call again.', isRetriedAutomatically: false },
  31107: { name: 'ReconnectParameterInvalidError', category: 'signaling', message: 'The call could not be resumed after a network interruption.', nextStep: 'Call back if the call ended.', isRetriedAutomatically: false },
  31201: { name: 'AuthorizationError', category: 'configuration', message: 'This phone is not authorized to use the voice service.', nextStep: ADMIN_NEXT, isRetriedAutomatically: false },
  31203: { name: 'NoValidAccountError', category: 'configuration', message: 'The voice account is not valid or is suspended.', nextStep: ADMIN_NEXT, isRetriedAutomatically: false },
  31204: { name: 'InvalidJWTTokenError', category: 'token', message: 'The voice service did not accept your sign-in token.', nextStep: TOKEN_NEXT, isRetriedAutomatically: true },
  31205: { name: 'JWTTokenExpiredError', category: 'token', message: 'Your voice sign-in token expired.', nextStep: TOKEN_NEXT, isRetriedAutomatically: true },
  31206: { name: 'RateExceededError', category: 'rate-limit', message: 'Too many requests reached the voice service.', nextStep: 'Wait a minute; Switchboard retries on its own.', isRetriedAutomatically: true },
  31207: { name: 'JWTTokenExpirationTooLongError', category: 'configuration', message: 'The voice sign-in token is valid for too long.', nextStep: ADMIN_NEXT, isRetriedAutomatically: false },
  31209: { name: 'ReconnectAttemptError', category: 'signaling', message: 'The call could not be resumed after a network interruption.', nextStep: 'Call back if the call ended.', isRetriedAutomatically: false },
  31210: { name: 'CallMessageEventTypeInvalidError', category: 'request', message: 'A message could not be sent during the call.', nextStep: BUG_NEXT, isRetriedAutomatically: false },
  31212: { name: 'PayloadSizeExceededError', category: 'request', message: 'A message sent during the call was too large.', nextStep: 'Send a shorter message.', isRetriedAutomatically: false },
  31401: { name: 'PermissionDeniedError', category: 'microphone', message: 'Switchboard is not allowed to use your microphone.', nextStep: 'Allow microphone access for this site in your browser (the camera/lock icon in the address bar). Calling is enabled as soon as you do.', isRetriedAutomatically: false },
  31402: { name: 'AcquisitionFailedError', category: 'microphone', message: 'Your microphone could not be opened.', nextStep: 'Check that a microphone is connected and not used by another app, then pick it in Settings.', isRetriedAutomatically: false },
  53000: { name: 'SignalingConnectionError', category: 'signaling', message: 'The connection to the voice service failed.', nextStep: NETWORK_NEXT, isRetriedAutomatically: true },
  53001: { name: 'SignalingConnectionDisconnected', category: 'signaling', message: 'The connection to the voice service dropped; trying to keep your call.', nextStep: NETWORK_NEXT, isRetriedAutomatically: true },
  53400: { name: 'ClientLocalDescFailed', category: 'media', message: 'Your browser could not set up the call audio.', nextStep: 'Close other calling apps or browser tabs, reload, and call again.', isRetriedAutomatically: false },
  53402: { name: 'ClientRemoteDescFailed', category: 'media', message: 'The call audio could not be set up.', nextStep: 'Call again. If it repeats, check that a firewall or VPN is not blocking calls.', isRetriedAutomatically: false },
  53405: { name: 'MediaConnectionError', category: 'media', message: 'The call audio connection failed.', nextStep: 'Check your network (a VPN or firewall can block call audio) and call again.', isRetriedAutomatically: false },
};

/** The SDK's own list, for tests and diagnostics. */
export const SDK_ERROR_CODES: readonly number[] = Object.keys(SDK_ERROR_VOCABULARY).map(Number);

/** Failures the app detects itself, not raised by the SDK. */
export type AppErrorName =
  | 'TokenFetchFailed'
  | 'RegistrationTimeout'
  | 'SdkLoadFailed'
  | 'DeviceSetupFailed'
  | 'MicrophoneDenied'
  | 'MicrophoneUnavailable'
  | 'BrowserUnsupported'
  /** Dialing refused up front: */
  | 'MicrophoneNotChecked'
  | 'PhoneOffline'
  | 'PhoneInAnotherTab'
  | 'CallInProgress'
  /** Settings: the Device refused the new edge. */
  | 'EdgeChangeFailed';

const APP_ERRORS: Readonly<Record<AppErrorName, Omit<Entry, 'name'>>> = {
  TokenFetchFailed: { category: 'signaling', message: 'Could not get a voice sign-in token from Switchboard.', nextStep: 'Switchboard retries on its own. If it keeps failing, check your network or sign in again.', isRetriedAutomatically: true },
  RegistrationTimeout: { category: 'signaling', message: 'Going online is taking too long.', nextStep: 'Switchboard is reconnecting. Check your network if this does not clear.', isRetriedAutomatically: true },
  SdkLoadFailed: { category: 'signaling', message: 'The calling module could not be loaded.', nextStep: 'Check your network and reload the page.', isRetriedAutomatically: false },
  DeviceSetupFailed: { category: 'unknown', message: 'The phone could not be started in this browser.', nextStep: 'Reload the page. If it happens again, copy the diagnostics from Settings and send them to support.', isRetriedAutomatically: false },
  MicrophoneDenied: { category: 'microphone', message: SDK_ERROR_VOCABULARY[31401].message, nextStep: SDK_ERROR_VOCABULARY[31401].nextStep, isRetriedAutomatically: false },
  MicrophoneUnavailable: { category: 'microphone', message: SDK_ERROR_VOCABULARY[31402].message, nextStep: SDK_ERROR_VOCABULARY[31402].nextStep, isRetriedAutomatically: false },
  MicrophoneNotChecked: { category: 'microphone', message: 'The microphone has not been allowed yet.', nextStep: 'Allow microphone access when the browser asks, then call again.', isRetriedAutomatically: false },
  PhoneOffline: { category: 'signaling', message: 'The phone is offline.', nextStep: 'Calls can be placed once the status shows Online.', isRetriedAutomatically: true },
  PhoneInAnotherTab: { category: 'request', message: 'Switchboard is taking your calls in another tab of this browser.', nextStep: 'Press “Use this tab” to take calls here instead.', isRetriedAutomatically: false },
  CallInProgress: { category: 'request', message: 'You are already on a call.', nextStep: 'Hang up the current call first.', isRetriedAutomatically: false },
  EdgeChangeFailed: { category: 'signaling', message: 'The new edge could not be applied.', nextStep: 'The phone keeps its current edge. Try again, or choose Automatic (roaming).', isRetriedAutomatically: false },
  BrowserUnsupported: { category: 'configuration', message: 'This browser cannot place calls.', nextStep: 'Use a current version of Chrome, Edge, Firefox or Safari.', isRetriedAutomatically: false },
};

/** What an SDK error code means for the agent. Unknown codes get a generic but honest answer. */
export function describeVoiceError(code: number, sdkMessage?: string): VoiceErrorInfo {
  const entry = SDK_ERROR_VOCABULARY[code];
  if (entry) return { code, ...entry };
  const detail = sdkMessage && sdkMessage.trim() !== '' ? ` (${sdkMessage.trim().slice(0, 200)})` : '';
  return {
    code,
    name: 'UnrecognizedError',
    category: 'unknown',
    message: `The voice service reported error ${code}${detail}.`,
    nextStep: BUG_NEXT,
    isRetriedAutomatically: false,
  };
}

export function describeAppError(name: AppErrorName): VoiceErrorInfo {
  return { code: null, name, ...APP_ERRORS[name] };
}

/** 20101/20104 and their signaling twins 31204/31205 (and a missing token): fetch a fresh token. */
export const isTokenError = (error: VoiceErrorInfo): boolean => error.category === 'token';

/** Errors after which retrying on our own cannot help: the UI asks a human instead. */
export const needsHumanAction = (error: VoiceErrorInfo): boolean => !error.isRetriedAutomatically;
