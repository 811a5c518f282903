import { Injectable, InjectionToken, computed, effect, inject, signal, untracked, type Signal } from '@angular/core';
import { QUALITY_LIMITS, type LineTest, type LineTestInput, type QualityFigureSummary } from '@switchboard/shared-contracts';
import { ClientConfigStore, SessionStore } from '@switchboard/softphone-data-access-api';
import { VOICE_CLOCK, VOICE_PORT, VOICE_TOKEN_SOURCE, type PreflightEvent, type PreflightReportData } from '@switchboard/softphone-data-access-voice';
import { describeVoiceError } from '@switchboard/shared-voice-model';
import {
  Observable,
  asyncScheduler,
  catchError,
  concat,
  finalize,
  interval,
  map,
  merge,
  of,
  share,
  switchMap,
  takeWhile,
  type SchedulerLike,
} from 'rxjs';
import { QualityApi } from './quality-api';
import { DEFAULT_LINE_TEST_MAX_AGE_HOURS, lineTestFailureMessage } from './line-test-words';

export type LineTestPhase = 'starting' | 'connecting' | 'measuring' | 'done' | 'failed';

export interface LineTestProgress {
  readonly phase: LineTestPhase;
  readonly elapsedSeconds: number;
  readonly expectedSeconds: number;
  /** The stored test once `done` (or `failed` when the failure could be stored). */
  readonly result: LineTest | null;
  /** When `failed`: what went wrong and what to do. */
  readonly message: string | null;
}

/** About how long a test takes: signaling and media set-up, the spoken sentence and the 10 s pause of the line-test TwiML. */
export const LINE_TEST_EXPECTED_SECONDS = 20;

/** The progress ticker's scheduler; tests pass a virtual one. */
export const LINE_TEST_SCHEDULER = new InjectionToken<SchedulerLike>('LINE_TEST_SCHEDULER', { providedIn: 'root', factory: () => asyncScheduler });

const NO_FIGURES: QualityFigureSummary = { min: null, avg: null, max: null };
/** The API's ranges (quality-validation.ts): a figure outside is not a measurement, sent as null. */
const within = (value: number | null, min: number, max: number) => (value !== null && Number.isFinite(value) && value >= min && value <= max ? value : null);
const figures = (f: QualityFigureSummary, min: number, max: number): QualityFigureSummary => ({ min: within(f.min, min, max), avg: within(f.avg, min, max), max: within(f.max, min, max) });
const stepMs = (value: number | null) => within(value, 0, 3_600_000);
const warningNames = (names: readonly string[]) => [...new Set(names.map((n) => n.slice(0, 100)))].slice(0, 50);
const iso = (ms: number) => new Date(ms).toISOString();

/** A completed preflight's report as the API's LineTestInput. */
export function lineTestInputFromReport(report: PreflightReportData, warnings: readonly string[]): LineTestInput {
  return {
    callSid: report.callSid,
    startedAt: iso(report.startedAt),
    endedAt: iso(Math.max(report.endedAt, report.startedAt)),
    callQuality: report.callQuality,
    edge: report.edge?.slice(0, 100) ?? null,
    mos: figures(report.mos, 1, 5),
    rtt: figures(report.rtt, 0, 60_000),
    jitter: figures(report.jitter, 0, 60_000),
    packetLossPercent: within(report.packetLossPercent, 0, 100),
    timing: {
      signalingMs: stepMs(report.timing.signalingMs),
      iceMs: stepMs(report.timing.iceMs),
      dtlsMs: stepMs(report.timing.dtlsMs),
      peerConnectionMs: stepMs(report.timing.peerConnectionMs),
    },
    warnings: warningNames([...report.warnings, ...warnings]),
    error: null,
  };
}

/** A failed preflight, stored too: supervisors see failing lines as well. */
export function lineTestInputFromFailure(startedAt: number, endedAt: number, callSid: string | null, warnings: readonly string[], code: number, message: string): LineTestInput {
  return {
    callSid,
    startedAt: iso(startedAt),
    endedAt: iso(Math.max(endedAt, startedAt)),
    callQuality: null,
    edge: null,
    mos: NO_FIGURES,
    rtt: NO_FIGURES,
    jitter: NO_FIGURES,
    packetLossPercent: null,
    timing: { signalingMs: null, iceMs: null, dtlsMs: null, peerConnectionMs: null },
    warnings: warningNames(warnings),
    error: { code: Math.max(0, code), message: message.slice(0, QUALITY_LIMITS.maxLabelLength) },
  };
}

const NO_TOKEN_MESSAGE = 'Could not start the test: the server did not give a voice token. Check your connection, sign in again if asked, then try again.';
/** The SDK's GeneralError, for a port error without a code. */
const GENERAL_ERROR_CODE = 31000;
const codeOf = (error: unknown): number => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 ? code : GENERAL_ERROR_CODE;
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : typeof error === 'string' ? error : 'The test could not run.');

type Outcome = { readonly kind: 'phase'; readonly phase: 'connecting' | 'measuring' } | { readonly kind: 'end'; readonly progress: Omit<LineTestProgress, 'elapsedSeconds' | 'expectedSeconds'> };

/**
 * "Test my line": the SDK's preflight through the VoicePort, with the phone's own Device options (edge,
 * codecs, sandbox host), then stored by the API. One run at a time: a second run() while one is going
 * joins it.
 */
@Injectable({ providedIn: 'root' })
export class LineTestService {
  private readonly api = inject(QualityApi);
  private readonly voice = inject(VOICE_PORT);
  private readonly tokens = inject(VOICE_TOKEN_SOURCE);
  private readonly clock = inject(VOICE_CLOCK);
  private readonly scheduler = inject(LINE_TEST_SCHEDULER);
  private readonly clientConfig = inject(ClientConfigStore);
  private readonly session = inject(SessionStore);

  private readonly runningState = signal(false);
  private readonly lastTestState = signal<LineTest | null>(null);
  private readonly loaded = signal(false);
  private current: Observable<LineTestProgress> | null = null;

  readonly running: Signal<boolean> = this.runningState.asReadonly();
  readonly lastTest: Signal<LineTest | null> = this.lastTestState.asReadonly();
  /** Known only once the agent's tests were read: never offer a test because the answer has not come yet. */
  readonly due: Signal<boolean> = computed(() => {
    if (!this.loaded()) return false;
    const last = this.lastTestState();
    if (!last) return true;
    const maxAgeHours = this.clientConfig.config()?.lineTestMaxAgeHours ?? DEFAULT_LINE_TEST_MAX_AGE_HOURS;
    return this.clock.now() - Date.parse(last.endedAt) > maxAgeHours * 3_600_000;
  });

  constructor() {
    // After sign-in (and for whoever signs in next), read the agent's last test; forget it at sign-out.
    effect(() => {
      const identity = this.session.agent()?.identity ?? null;
      untracked(() => (identity ? this.load() : this.forget()));
    });
  }

  /** Reads the agent's newest test. */
  load(): void {
    this.api.lineTests().subscribe({
      next: ({ lineTests }) => {
        this.lastTestState.set(lineTests[0] ?? null);
        this.loaded.set(true);
      },
      // Unknown stays unknown: no offer rather than a wrong one.
      error: () => undefined,
    });
  }

  run(): Observable<LineTestProgress> {
    this.current ??= this.start().pipe(
      finalize(() => {
        this.current = null;
        this.runningState.set(false);
      }),
      share(),
    );
    return this.current;
  }

  private forget(): void {
    this.lastTestState.set(null);
    this.loaded.set(false);
  }

  private start(): Observable<LineTestProgress> {
    return new Observable<LineTestProgress>((subscriber) => {
      this.runningState.set(true);
      const startedAt = this.clock.now();
      let phase: LineTestPhase = 'starting';
      const progress = (over: Partial<LineTestProgress> = {}): LineTestProgress => ({
        phase,
        elapsedSeconds: Math.max(0, Math.floor((this.clock.now() - startedAt) / 1000)),
        expectedSeconds: LINE_TEST_EXPECTED_SECONDS,
        result: null,
        message: null,
        ...over,
      });
      subscriber.next(progress());
      const outcomes$ = this.outcomes(startedAt);
      const ticks$ = interval(1000, this.scheduler).pipe(map(() => null));
      return merge(outcomes$, ticks$)
        .pipe(takeWhile((o) => o === null || o.kind !== 'end', true))
        .subscribe({
          next: (outcome) => {
            if (outcome === null) {
              subscriber.next(progress());
            } else if (outcome.kind === 'phase') {
              phase = outcome.phase;
              subscriber.next(progress());
            } else {
              phase = outcome.progress.phase;
              subscriber.next(progress(outcome.progress));
              subscriber.complete();
            }
          },
          error: (error: unknown) => subscriber.error(error),
        });
    });
  }

  /** Token → preflight → stored result, as phase changes and one end. */
  private outcomes(startedAt: number): Observable<Outcome> {
    const warnings: string[] = [];
    let callSid: string | null = null;
    const failed = (code: number, message: string) =>
      this.store(lineTestInputFromFailure(startedAt, this.clock.now(), callSid, warnings, code, message), lineTestFailureMessage(describeVoiceError(code, message)));
    const token$ = this.tokens.issue().pipe(
      map((response): string | null => response.token),
      catchError(() => of(null)),
    );
    return token$.pipe(
      switchMap((token) => {
        if (token === null) return of<Outcome>({ kind: 'end', progress: { phase: 'failed', result: null, message: NO_TOKEN_MESSAGE } });
        const preflight$ = this.voice.runPreflight(token).pipe(
          switchMap((event: PreflightEvent): Observable<Outcome> => {
            switch (event.kind) {
              case 'connected':
                callSid = event.callSid;
                return of({ kind: 'phase', phase: 'measuring' });
              case 'warning':
                warnings.push(event.name);
                return of();
              case 'sample':
                return of();
              case 'completed':
                return this.store(lineTestInputFromReport(event.report, warnings), null);
              case 'failed':
                return failed(event.code, event.message);
            }
          }),
          catchError((error: unknown) => failed(codeOf(error), messageOf(error))),
        );
        return concat(of<Outcome>({ kind: 'phase', phase: 'connecting' }), preflight$);
      }),
    );
  }

  /** Stores the result; `failure` is the message for a failed test (it is stored all the same). */
  private store(input: LineTestInput, failure: string | null): Observable<Outcome> {
    return this.api.saveLineTest(input).pipe(
      map((stored): Outcome => {
        this.lastTestState.set(stored);
        this.loaded.set(true);
        return { kind: 'end', progress: failure ? { phase: 'failed', result: stored, message: failure } : { phase: 'done', result: stored, message: null } };
      }),
      catchError(() =>
        of<Outcome>({
          kind: 'end',
          progress: { phase: 'failed', result: null, message: failure ?? 'The test ran, but its result could not be saved. Check your connection, then run the test again.' },
        }),
      ),
    );
  }
}
