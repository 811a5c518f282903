/**
 * The voice sandbox's TwiML engine: fetches TwiML with Twilio's signed webhooks and runs it on a
 * CallLegControl, posts status callbacks, keeps recordings, and simulates PSTN callers.
 *
 * Entry points for the call core:
 * - `runTwiml(leg, start, deps)` when an SDK `invite` arrives (start.url = the TwiML App's voice URL,
 *   start.params = the invite's decoded `twilio.params`, start.callParams = { ApplicationSid }).
 * - `new StatusCallbackSender({ webhooks, log }).attach(core)` once at start-up.
 * - `startInboundCall(...)` for simulated PSTN calls to the configured numbers.
 */
export { runTwiml, API_VERSION, MAX_REDIRECTS_PER_CALL, MAX_VERBS_PER_DOCUMENT } from './lib/engine/run-twiml';
export type { TwimlEngineDeps, TwimlStart, TwimlRunResult, TwimlRunOutcome } from './lib/engine/engine-types';
export { LiveCallRegistry, type LiveTwimlCall } from './lib/engine/live-calls';
export { parseTwiml, MAX_LOOP } from './lib/twiml/twiml-parser';
export type * from './lib/twiml/twiml-verbs';
export { TwilioErrorCode, TwimlError } from './lib/twiml/twiml-errors';
export type { SandboxLogger, SpeechSynthesizer, AudioFetcher, RecordingStore, RecordingMetadata } from './lib/ports';
export { silentLogger } from './lib/ports';
export {
  HttpWebhookClient,
  type HttpWebhookClientOptions,
  type WebhookClient,
  type WebhookRequest,
  type TwimlFetchResult,
  type NotifyResult,
} from './lib/webhooks/webhook-client';
export { isLoopbackHost, requireLoopbackUrl } from './lib/webhooks/loopback';
export { parseWebhookUrl, TWILIO_CONNECTION_DEFAULTS, type ConnectionOverrides, type RetryCondition } from './lib/webhooks/connection-overrides';
export { PlaceholderSpeechSynthesizer, EspeakSpeechSynthesizer, createSpeechSynthesizer, findOnPath } from './lib/audio/speech';
export { HttpAudioFetcher } from './lib/audio/audio-fetcher';
export { FileRecordingStore, newRecordingSid } from './lib/audio/file-recording-store';
export * from './lib/audio/tone-and-silence';
/** Shared helpers that code outside this lib (voice-sandbox's browser tests) imports from here. */
export { decodeWav, rms } from '@switchboard/sandbox-util-audio';
/** Test doubles that implement the real ports (for unit tests here and in the core). */
export { FakeClock } from '@switchboard/sandbox-model';
export { FakeLeg, type FakeLegEvent } from './lib/testing/fake-leg';
export { FakeTelephonyCore, FakeWebhooks, MemoryRecordingStore, FakeSpeech, MemoryLogger } from './lib/testing/fakes';
export { StatusCallbackSender, rfc2822 } from './lib/webhooks/status-callbacks';
export { WebhookReceiver, type ReceivedRequest } from './lib/testing/webhook-receiver';
export { parseCallerScript, CallerScriptError, type CallerStep } from './lib/inbound/caller-script';
export { ScriptedCallerLeg, newCallSid } from './lib/inbound/scripted-caller-leg';
export { startInboundCall, UnknownNumberError, type SandboxNumber, type InboundCall } from './lib/inbound/start-inbound-call';
/** Conferences: `<Dial><Conference>` rooms with mixing and status callbacks; implements ConferenceControl for the REST layer. */
export { ConferenceRooms, type ConferenceRoomsDeps } from './lib/conference/conference-rooms';
export { mixTick, InputBuffer, type MixSpeaker, type MixListener } from './lib/conference/mixer';
/** Test hook (not Twilio): what a conference participant was sent, by source. */
export { DEFAULT_METER_WINDOW_MS, MAX_METER_WINDOW_MS, type LegAudioLevels, type AudioLevel } from './lib/conference/leg-meter';
export { builtInHoldMusic } from './lib/conference/audio-sources';
export { CALLBACK_EVENT_FILTER, type ConferenceCallbackEvent } from './lib/conference/conference-callbacks';
