import { QUALITY_LIMITS, type RegistrationSetupInput, type SetupEvent } from '@switchboard/shared-contracts';

const iso = (ms: number) => new Date(ms).toISOString();
/** The API takes step durations up to an hour. */
const duration = (from: number, to: number) => Math.min(3_600_000, Math.max(0, to - from));

export interface StepFailure {
  readonly code: number | null;
  readonly message: string;
}

/**
 * One registration attempt at a time: token (from what started the attempt to the token's arrival), then
 * registration (from the token to `registered`, or its failure). Each finished attempt is handed to `report`.
 */
export class RegistrationTiming {
  private tokenStartedAt: number | null = null;
  private tokenStep: SetupEvent | null = null;
  private registrationStartedAt: number | null = null;
  edge: string | null = null;
  sdkVersion = '';

  constructor(private readonly report: (input: RegistrationSetupInput) => void) {}

  /** Something started getting online (tab got the phone, Try again, a due retry, a page check, a refused token). */
  started(at: number): void {
    this.tokenStartedAt = at;
    this.tokenStep = null;
    this.registrationStartedAt = null;
  }

  tokenIssued(at: number): void {
    if (this.tokenStartedAt !== null) this.tokenStep = { step: 'token', at: iso(this.tokenStartedAt), durationMs: duration(this.tokenStartedAt, at), error: null };
    this.tokenStartedAt = null;
    this.registrationStartedAt = at;
  }

  tokenFailed(at: number, failure: StepFailure): void {
    const startedAt = this.tokenStartedAt ?? at;
    this.tokenStartedAt = null;
    this.send([{ step: 'token', at: iso(startedAt), durationMs: null, error: toError(failure) }]);
  }

  registered(at: number, edge: string | null): void {
    this.edge = edge ?? this.edge;
    if (this.registrationStartedAt === null) return; // The SDK re-registered by itself: no attempt of ours.
    const registration: SetupEvent = { step: 'registration', at: iso(this.registrationStartedAt), durationMs: duration(this.registrationStartedAt, at), error: null };
    this.send([...(this.tokenStep ? [this.tokenStep] : []), registration]);
  }

  registrationFailed(failure: StepFailure): void {
    if (this.registrationStartedAt === null) return;
    const registration: SetupEvent = { step: 'registration', at: iso(this.registrationStartedAt), durationMs: null, error: toError(failure) };
    this.send([...(this.tokenStep ? [this.tokenStep] : []), registration]);
  }

  /** Sign-out or another tab took the phone: the attempt in flight is nobody's. */
  abandon(): void {
    this.tokenStartedAt = null;
    this.tokenStep = null;
    this.registrationStartedAt = null;
  }

  private send(setup: readonly SetupEvent[]): void {
    this.tokenStep = null;
    this.registrationStartedAt = null;
    this.report({ setup, edge: this.edge?.slice(0, 100) ?? null, sdkVersion: this.sdkVersion.slice(0, 100) || 'unknown' });
  }
}

/** App failures have no SDK code: 0 says "not the SDK's" in the contract's numeric field. */
function toError(failure: StepFailure): { readonly code: number; readonly message: string } {
  return { code: Math.max(0, failure.code ?? 0), message: failure.message.slice(0, QUALITY_LIMITS.maxLabelLength) };
}
