/**
 * The seam between the sandbox's call core (signaling + media legs, in data-access-calls / media /
 * feature-signaling) and its TwiML engine (twiml-engine, feature-rest). The engine never touches a
 * WebSocket or an RTP packet; the core never parses TwiML. Both sides code against these types.
 *
 * Audio crossing this seam is 8 kHz mono 16-bit PCM whatever a leg negotiated (PCMU, or Opus decoded and
 * resampled in sandbox-media), so recording/gather/tones are plain sample arithmetic.
 */

import type { CallStatus } from '@switchboard/shared-contracts';

export const SANDBOX_SAMPLE_RATE = 8000;

/** 8 kHz mono signed 16-bit samples. */
export interface PcmAudio {
  readonly sampleRate: typeof SANDBOX_SAMPLE_RATE;
  readonly samples: Int16Array;
}

export type LegEndpoint =
  | { readonly kind: 'client'; readonly identity: string }
  | { readonly kind: 'number'; readonly number: string };

/** Twilio's call statuses, as a leg moves through them (one list, in shared-contracts). */
export type LegStatus = CallStatus;

export interface LegStatusEvent {
  readonly callSid: string;
  readonly status: LegStatus;
  /** Milliseconds since epoch, from the core's clock. */
  readonly at: number;
  /** Seconds between answer and end; set on the final status only. */
  readonly durationSeconds?: number;
  /**
   * Who the leg is and which status callback it asked for (OriginateRequest / DialTarget
   * `statusCallback`). The TwiML engine's StatusCallbackSender posts callbacks only for events that
   * carry a `statusCallback` here (or for legs registered with it directly).
   */
  readonly details?: LegDetails;
}

export interface LegDetails {
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: 'inbound' | 'outbound-api' | 'outbound-dial';
  /** The `<Dial>`ing leg, for child legs. */
  readonly parentCallSid?: string;
  readonly statusCallback?: StatusCallbackRequest;
}

/**
 * One live call leg as the TwiML engine drives it: the caller of an outgoing SDK call, an inbound
 * PSTN caller, or the callee of a REST-created call once it answered.
 */
export interface CallLegControl {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: 'inbound' | 'outbound-api' | 'outbound-dial';
  /** Aborted when the far end hangs up or the leg fails; every long operation must honour it. */
  readonly ended: AbortSignal;
  /** Connect media to this leg if it is not yet answered (a no-op when already answered). */
  answer(): Promise<void>;
  /** Play audio to the leg; resolves when played, or early (no throw) when `signal` or `ended` aborts. */
  play(audio: PcmAudio, signal?: AbortSignal): Promise<void>;
  /** Each RFC 4733 DTMF digit the leg sends ('0'-'9', '*', '#', 'A'-'D'). Returns an unsubscribe. */
  onDigit(listener: (digit: string) => void): () => void;
  /** Start capturing what this leg says; `stop()` returns everything captured since. */
  startRecording(): { stop(): PcmAudio };
  /** End the leg (sends the SDK a `hangup`, or rejects it with `reason` if it was never answered). */
  hangup(reason?: 'rejected' | 'busy'): void;
  /**
   * Optional live tap on what this leg says, in frames (typically 20 ms). The engine uses it for
   * `<Record timeout>` silence detection; the core can use it to bridge a leg it did not create
   * (the engine's simulated PSTN callers implement it).
   */
  onAudio?(listener: (frame: PcmAudio) => void): () => void;
  /**
   * Optional continuous audio: queue one frame (typically 20 ms) to be sent to the leg after any
   * `play()` in progress, like a bridge does. A conference mixer calls it once per tick; frames not
   * yet sent are capped (the oldest are dropped) so a faster writer cannot build up delay.
   */
  sendFrame?(frame: PcmAudio): void;
}

/** One noun of a `<Dial>`. */
export type DialTarget =
  | {
      readonly kind: 'client';
      readonly identity: string;
      /** `<Parameter name value>` children, delivered to the SDK as `parameters.Params`. */
      readonly parameters: Readonly<Record<string, string>>;
      readonly statusCallback?: StatusCallbackRequest;
    }
  | { readonly kind: 'number'; readonly number: string; readonly statusCallback?: StatusCallbackRequest };

export interface StatusCallbackRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Which of initiated, ringing, answered, completed to send (Twilio's `statusCallbackEvent`). */
  readonly events: readonly ('initiated' | 'ringing' | 'answered' | 'completed')[];
}

export interface DialRequest {
  readonly targets: readonly DialTarget[];
  /** Seconds to ring before giving up (Twilio: default 30, max 600). */
  readonly timeoutSeconds: number;
  readonly callerId?: string;
  /** When true the parent leg is answered only when a child answers (early media otherwise). */
  readonly answerOnBridge: boolean;
  /** Seconds; the bridge is cut after this long (Twilio's `timeLimit`). */
  readonly timeLimitSeconds?: number;
}

export interface DialOutcome {
  /** Twilio's `DialCallStatus`. */
  readonly status: 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  readonly dialCallSid?: string;
  readonly dialCallDurationSeconds?: number;
}

/** What the call core offers the TwiML engine. Implemented by data-access-calls. */
export interface TelephonyCore {
  /** Ring every target at once; bridge the first to answer with `parent` until one side hangs up. */
  dial(parent: CallLegControl, request: DialRequest): Promise<DialOutcome>;
  /** Place a call from the REST API; resolves with the new leg's SID as soon as it is queued. */
  originate(request: OriginateRequest): Promise<{ readonly callSid: string }>;
  /** Every status change of every leg, for status callbacks and the `/sandbox/calls` view. */
  onLegStatus(listener: (event: LegStatusEvent) => void): () => void;
  /**
   * Optional: end a leg by SID whatever its state (REST `Status=completed|canceled`), for legs the
   * engine holds no CallLegControl of (queued or ringing REST calls). Returns false for unknown SIDs.
   */
  endCall?(callSid: string, status: 'completed' | 'canceled'): boolean;
  /**
   * Optional: list a leg the core did not create (the engine's simulated PSTN caller) so it gets
   * status events (hence status callbacks) and shows in `/sandbox/calls`. It starts `ringing`, as
   * an inbound call does; the leg's owner reports answer and end on the returned handle.
   */
  trackLeg?(leg: CallLegControl, statusCallback?: StatusCallbackRequest): TrackedLeg;
}

/** What the owner of a tracked leg reports to the core. */
export interface TrackedLeg {
  answered(): void;
  /**
   * `hangup` for a normal end (either side); `rejected`/`busy` for `<Reject>` before answer. `endedBy`: the party
   * (e.g. a scripted caller hanging up) or the sandbox (its TwiML), for the Call Summary's `disconnected_by`.
   */
  ended(reason: 'hangup' | 'rejected' | 'busy', endedBy?: 'party' | 'sandbox'): void;
  /** Optional: a DTMF digit heard in the audio the leg received (its in-band tones), for `/sandbox/calls`. */
  heardDigit?(digit: string): void;
}

export interface OriginateRequest {
  readonly accountSid: string;
  readonly from: string;
  readonly to: LegEndpoint;
  readonly timeoutSeconds: number;
  /** Called when the callee answers, with its live leg: the REST layer runs the `Url`'s TwiML on it. */
  readonly onAnswered: (leg: CallLegControl) => void;
  readonly statusCallback?: StatusCallbackRequest;
}

/** Clock the engine runs on; a fake in unit tests. */
export interface SandboxClock {
  now(): number;
  /** Resolves after `ms`, or early (no throw) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: SandboxClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
