import type { SandboxClock } from '@switchboard/sandbox-model';
import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';
import type { ConnectionOverrides, RetryCondition } from './connection-overrides';

/** What one HTTP exchange tells the timers as it goes. */
export interface AttemptProgress {
  /** The connection is up (TCP, and TLS for https): the connect timer stops, the read timer starts. */
  connected(): void;
  /** Bytes of the answer arrived: the read timer starts again (`rt` is also the gap allowed between packets). */
  received(): void;
}

/** One HTTP exchange; it must stop (reject) when `signal` aborts. */
export type Attempt<T> = (signal: AbortSignal, progress: AttemptProgress) => Promise<{ readonly status: number; readonly value: T }>;

type AttemptResult<T> =
  | { readonly kind: 'answered'; readonly status: number; readonly value: T }
  | { readonly kind: 'failed'; readonly condition: RetryCondition | 'tt' | 'final'; readonly error: TwimlError };

/**
 * Runs `attempt` under Twilio's connection rules: a connect timer (`ct`) until the connection is up,
 * then a read timer (`rt`) restarted by every packet, all inside the total budget (`tt`). A failure
 * the retry policy (`rp`) names is tried again, at once, up to `rc` times while budget remains.
 * Resolves with the last answer (a 5xx not retried is still an answer: the caller decides what it
 * means); rejects with a TwimlError when no answer came. Every timer runs on `clock`.
 */
export async function attemptWithOverrides<T>(
  attempt: Attempt<T>,
  overrides: ConnectionOverrides,
  clock: SandboxClock,
  outer?: AbortSignal,
): Promise<{ readonly status: number; readonly value: T; readonly attempts: number }> {
  const deadline = clock.now() + overrides.totalTimeoutMs;
  for (let attempts = 1; ; attempts++) {
    const result = await attemptOnce(attempt, overrides, clock, deadline, outer);
    const condition = result.kind === 'answered' ? statusCondition(result.status) : result.condition;
    const retry =
      condition !== undefined
      && condition !== 'tt'
      && condition !== 'final'
      && overrides.retryOn.has(condition)
      && attempts <= overrides.retryCount
      && clock.now() < deadline
      && !outer?.aborted;
    if (retry) continue;
    if (result.kind === 'answered') return { status: result.status, value: result.value, attempts };
    throw result.error;
  }
}

function statusCondition(status: number): RetryCondition | undefined {
  if (status >= 500 && status <= 599) return '5xx';
  if (status >= 400 && status <= 499) return '4xx';
  return undefined;
}

async function attemptOnce<T>(
  attempt: Attempt<T>,
  overrides: ConnectionOverrides,
  clock: SandboxClock,
  deadline: number,
  outer: AbortSignal | undefined,
): Promise<AttemptResult<T>> {
  const abort = new AbortController();
  let phase: 'connect' | 'read' = 'connect';
  let timedOut: 'ct' | 'rt' | 'tt' | undefined;
  let timer = new AbortController();
  // One timer at a time: the phase's limit, or what is left of the total budget if that is shorter.
  const arm = (): void => {
    timer.abort();
    const current = new AbortController();
    timer = current;
    const limit = phase === 'connect' ? overrides.connectTimeoutMs : overrides.readTimeoutMs;
    const remaining = Math.max(0, deadline - clock.now());
    const cause = remaining < limit ? 'tt' : phase === 'connect' ? 'ct' : 'rt';
    void clock.sleep(Math.min(limit, remaining), current.signal).then(() => {
      if (current.signal.aborted) return;
      timedOut = cause;
      abort.abort();
    });
  };
  arm();
  const progress: AttemptProgress = {
    connected: () => {
      if (phase !== 'connect') return;
      phase = 'read';
      arm();
    },
    received: () => {
      if (phase === 'read' && !timedOut) arm();
    },
  };
  const signal = outer ? AbortSignal.any([outer, abort.signal]) : abort.signal;
  try {
    const answer = await attempt(signal, progress);
    return { kind: 'answered', ...answer };
  } catch (error) {
    if (timedOut) return { kind: 'failed', condition: timedOut, error: timeoutError(timedOut, overrides) };
    if (outer?.aborted) return { kind: 'failed', condition: 'final', error: new TwimlError(TwilioErrorCode.HttpConnectionFailure, 'request aborted') };
    if (error instanceof TwimlError) return { kind: 'failed', condition: 'final', error };
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Refused or reset before the connection was up counts as a connect failure, after it as a read failure.
    return { kind: 'failed', condition: phase === 'connect' ? 'ct' : 'rt', error: new TwimlError(TwilioErrorCode.HttpConnectionFailure, message) };
  } finally {
    timer.abort();
  }
}

function timeoutError(cause: 'ct' | 'rt' | 'tt', overrides: ConnectionOverrides): TwimlError {
  switch (cause) {
    case 'ct':
      return new TwimlError(TwilioErrorCode.HttpConnectionFailure, `no connection within ${overrides.connectTimeoutMs} ms (ct)`);
    case 'rt':
      return new TwimlError(TwilioErrorCode.HttpConnectionFailure, `no answer within ${overrides.readTimeoutMs} ms (rt)`);
    case 'tt':
      // Twilio reports 11203 for a total time-out the URL set; its default 15 s budget is 11205.
      return overrides.totalTimeoutGiven
        ? new TwimlError(TwilioErrorCode.HttpTotalTimeout, `no answer within the total ${overrides.totalTimeoutMs} ms (tt)`)
        : new TwimlError(TwilioErrorCode.HttpConnectionFailure, `no complete answer within ${overrides.totalTimeoutMs} ms`);
  }
}
