import { signal, type Provider } from '@angular/core';
import type { LineTest, QualityRatingInput } from '@switchboard/shared-contracts';
import { CallRatingService, LineTestService, type LineTestProgress, type RatingRequest } from '@switchboard/softphone-data-access-quality';
import { toStatusView, type CallView, type SoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { Subject, type Observable } from 'rxjs';

/** A signed-in, online agent with nothing going on; specs override what they test. */
export function idleViewModel(patch: Partial<SoftphoneViewModel> = {}): SoftphoneViewModel {
  return {
    status: toStatusView('registered', null, null),
    agent: { identity: 'alice', displayName: 'Alice Adams' },
    microphone: { permission: 'granted', guidance: null },
    canDial: true,
    dialDisabledReason: null,
    activeCall: null,
    incomingCall: null,
    waitingCall: null,
    endedCall: null,
    quality: null,
    deviceNotice: null,
    ...patch,
  };
}

export function callView(patch: Partial<CallView> = {}): CallView {
  return {
    callId: 'call-1',
    direction: 'outgoing',
    phase: 'open',
    remote: '+14155550100',
    callSid: 'CA1',
    customParameters: {},
    isCallerVerified: null,
    isMuted: false,
    isWaiting: false,
    connectedAt: Date.now(),
    reconnectingSince: null,
    canControl: true,
    monitor: null,
    ...patch,
  };
}

/** The data-access services as the UI sees them: what the components read and call, nothing more. */
export class FakeRatings {
  readonly pending = signal<RatingRequest | null>(null);
  readonly rated: QualityRatingInput[] = [];
  result: () => Observable<void> = () => new Subject<void>();
  rate(input: QualityRatingInput): Observable<void> {
    this.rated.push(input);
    return this.result();
  }
  dismiss(): void {
    this.pending.set(null);
  }
}

export class FakeLineTests {
  readonly due = signal(true);
  readonly running = signal(false);
  readonly lastTest = signal<LineTest | null>(null);
  readonly runs = new Subject<LineTestProgress>();
  started = 0;
  run(): Observable<LineTestProgress> {
    this.started++;
    return this.runs;
  }
}

/** Quiet quality services for specs of screens that only host the prompts: nothing pending, no test due. */
export function quietQualityServices(): Provider[] {
  const lineTests = new FakeLineTests();
  lineTests.due.set(false);
  return [{ provide: CallRatingService, useValue: new FakeRatings() }, { provide: LineTestService, useValue: lineTests }];
}
