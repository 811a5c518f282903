import { runTwiml } from '../engine/run-twiml';
import { TwimlEngineDeps, TwimlRunResult } from '../engine/engine-types';
import { HttpMethod } from '../twiml/twiml-verbs';
import { CallerStep } from './caller-script';
import { ScriptedCallerLeg } from './scripted-caller-leg';

/** A sandbox phone number's configuration, as Twilio's IncomingPhoneNumber holds it. */
export interface SandboxNumber {
  readonly phoneNumber: string;
  readonly accountSid: string;
  readonly voiceUrl: string;
  readonly voiceMethod?: HttpMethod;
  readonly voiceFallbackUrl?: string;
  readonly voiceFallbackMethod?: HttpMethod;
  /** Twilio posts a number's status callback when the call completes (no other events). */
  readonly statusCallback?: string;
  readonly statusCallbackMethod?: HttpMethod;
}

export class UnknownNumberError extends Error {}

export interface InboundCall {
  readonly callSid: string;
  readonly leg: ScriptedCallerLeg;
  /** Settles when the TwiML stops running (the call is over). */
  readonly done: Promise<TwimlRunResult>;
}

/**
 * Places a simulated PSTN call from `from` to one of the sandbox's numbers: the scripted caller
 * starts at once, and the number's voice URL is fetched (signed) and run by the engine. When the
 * core tracks legs (`trackLeg`), the call gets status events, so it shows in `/sandbox/calls` and the
 * number's status callback is posted when it completes.
 */
export function startInboundCall(
  call: { from: string; to: string; script: readonly CallerStep[] },
  deps: TwimlEngineDeps & { numbers: (phoneNumber: string) => SandboxNumber | undefined },
): InboundCall {
  const number = deps.numbers(call.to);
  if (!number) throw new UnknownNumberError(`${call.to} is not one of the sandbox's numbers`);
  const leg = new ScriptedCallerLeg(number.accountSid, call.from, number.phoneNumber, call.script, deps.clock);
  const statusCallback = number.statusCallback
    ? { url: number.statusCallback, method: number.statusCallbackMethod ?? 'POST', events: ['completed'] as const }
    : undefined;
  const tracked = deps.core.trackLeg?.(leg, statusCallback);
  if (tracked) leg.observe(tracked);
  deps.log.info('inbound call', { callSid: leg.callSid, from: call.from, to: number.phoneNumber });
  const done = runTwiml(
    leg,
    {
      url: number.voiceUrl,
      method: number.voiceMethod,
      fallbackUrl: number.voiceFallbackUrl,
      fallbackMethod: number.voiceFallbackMethod,
    },
    deps,
  );
  return { callSid: leg.callSid, leg, done };
}
