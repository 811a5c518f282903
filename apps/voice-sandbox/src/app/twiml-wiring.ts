import { join } from 'node:path';
import {
  ConferenceRooms,
  FileRecordingStore,
  HttpAudioFetcher,
  HttpWebhookClient,
  LiveCallRegistry,
  StatusCallbackSender,
  createSpeechSynthesizer,
  runTwiml,
  type InboundCall,
  type SandboxLogger,
  type TwimlEngineDeps,
} from '@switchboard/sandbox-twiml-engine';
import { createCallSummaryHandler, createInboundRouteHandler, createSandboxRestHandler, type SandboxRestConfig } from '@switchboard/sandbox-feature-rest';
import { systemClock } from '@switchboard/sandbox-model';
import { createLegAudioRoute } from './leg-audio';
import type { SandboxExtensions, SandboxParts } from './sandbox-app';

export interface TwimlEngineExtensionOptions {
  /** Each simulated PSTN call placed with POST /sandbox/inbound, with its scripted leg (tests listen to what it heard). */
  readonly onInboundCall?: (call: InboundCall) => void;
}

/**
 * Connects the TwiML engine and the REST subset to the call core: outgoing SDK calls run their
 * TwiML App's voice URL; /2010-04-01/* and POST /sandbox/inbound are served; status callbacks post
 * for every leg that asked for them.
 */
export function twimlEngineExtensions(options: TwimlEngineExtensionOptions = {}): SandboxExtensions {
  // One engine for both extensions, built by whichever the sandbox asks for first.
  let built: TwimlEngine | undefined;
  const engineFor = (parts: SandboxParts): TwimlEngine => (built ??= buildEngine(parts));

  return {
    outgoingCalls: (parts) => {
      const { deps, statusCallbacks } = engineFor(parts);
      return (request) => {
        const app = parts.config.applications.find((a) => a.sid === request.applicationSid);
        if (!app) return request.leg.hangup();
        if (app.statusCallback) {
          // Twilio posts the application's status callback for the SDK caller's (parent) call when it completes.
          const { leg } = request;
          statusCallbacks.watch(leg.callSid, {
            accountSid: leg.accountSid,
            from: leg.from,
            to: leg.to,
            direction: leg.direction,
            statusCallback: { url: app.statusCallback, method: app.statusCallbackMethod, events: ['completed'] },
          });
        }
        void runTwiml(
          request.leg,
          {
            url: app.voiceUrl,
            method: app.voiceMethod,
            fallbackUrl: app.voiceFallbackUrl,
            fallbackMethod: app.voiceFallbackMethod,
            params: request.params,
            callParams: { ApplicationSid: app.sid },
          },
          deps,
        )
          .then((result) => parts.log('twiml.done', { callSid: request.leg.callSid, ...result }))
          .catch((error: unknown) => {
            parts.log('twiml.crash', { callSid: request.leg.callSid, error: String(error) });
            request.leg.hangup();
          });
      };
    },
    routes: (parts) => {
      const { deps, statusCallbacks } = engineFor(parts);
      const restConfig: SandboxRestConfig = {
        publicOrigin: parts.publicOrigin,
        accounts: parts.config.accounts.map((account) => ({
          accountSid: account.sid,
          authToken: account.authToken,
          apiKeys: parts.config.apiKeys.filter((k) => k.accountSid === account.sid).map((k) => ({ sid: k.sid, secret: k.secret })),
        })),
      };
      const rest = createSandboxRestHandler({
        config: restConfig,
        core: parts.core,
        engine: deps,
        statusCallbacks,
        callMessages: parts.callMessages,
        conferences: deps.conferences,
      });
      const inbound = createInboundRouteHandler({
        engine: deps,
        onCall: options.onInboundCall,
        numbers: (phoneNumber) => {
          const number = parts.config.numbers.find((n) => n.number === phoneNumber);
          return number && {
            phoneNumber: number.number,
            accountSid: number.accountSid,
            voiceUrl: number.voiceUrl,
            voiceMethod: number.voiceMethod,
            voiceFallbackUrl: number.voiceFallbackUrl,
            voiceFallbackMethod: number.voiceFallbackMethod,
            statusCallback: number.statusCallback,
          };
        },
      });
      // Voice Insights' Call Summary (insights.twilio.com/v1/Voice/{CallSid}/Summary) from what the sandbox measured.
      const callSummary = createCallSummaryHandler({
        config: restConfig,
        clock: systemClock,
        legs: (callSid) => parts.core.getLeg(callSid),
        onLegStatus: (listener) => parts.core.onLegStatus(listener),
        mediaStats: parts.mediaStats,
      });
      // The leg audio meter is a test hook, gated with the fault hooks.
      return [rest, callSummary, inbound, createLegAudioRoute(deps.conferences, parts.config.faults)];
    },
  };
}

interface TwimlEngine {
  readonly deps: TwimlEngineDeps & { liveCalls: LiveCallRegistry; conferences: ConferenceRooms };
  readonly statusCallbacks: StatusCallbackSender;
}

function buildEngine(parts: SandboxParts): TwimlEngine {
  const log = loggerFor(parts);
  const authTokens = new Map(parts.config.accounts.map((a) => [a.sid, a.authToken]));
  const webhooks = new HttpWebhookClient({ authToken: (accountSid) => authTokens.get(accountSid), log });
  const statusCallbacks = new StatusCallbackSender({ webhooks, log });
  statusCallbacks.attach(parts.core);
  const deps = {
    core: parts.core,
    webhooks,
    clock: systemClock,
    speech: createSpeechSynthesizer(log),
    audio: new HttpAudioFetcher(),
    recordings: new FileRecordingStore(join(parts.config.dataDir, 'recordings')),
    log,
    publicOrigin: parts.publicOrigin,
    liveCalls: new LiveCallRegistry(),
    // A test surface beside heardDigits: what each conference leg was told (`/sandbox/calls`' heardSpeech).
    heardSpeech: (callSid: string, text: string) => parts.core.heardSpeech(callSid, text),
  };
  // One set of rooms for `<Dial><Conference>` and the Conferences/Participants REST resources.
  return { deps: { ...deps, conferences: new ConferenceRooms(deps) }, statusCallbacks };
}

function loggerFor(parts: SandboxParts): SandboxLogger {
  return {
    info: (message, fields) => parts.log('twiml.info', { message, ...fields }),
    warn: (message, fields) => parts.log('twiml.warn', { message, ...fields }),
    error: (message, fields) => parts.log('twiml.error', { message, ...fields }),
  };
}
