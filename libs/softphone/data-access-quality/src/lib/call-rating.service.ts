import { Injectable, inject, signal, type Signal } from '@angular/core';
import type { QualityRatingInput, RecordedWarningName } from '@switchboard/shared-contracts';
import { EMPTY, tap, type Observable } from 'rxjs';
import { QualityApi } from './quality-api';

/** A call that raised at least one warning has ended: ask the agent "How was the call?". */
export interface RatingRequest {
  readonly callSid: string;
  readonly warnings: readonly RecordedWarningName[];
  readonly endedAt: string;
}

/** The one-tap rating after a call with warnings: stored by the API, and in twilio mode sent to Twilio too. */
@Injectable({ providedIn: 'root' })
export class CallRatingService {
  private readonly api = inject(QualityApi);
  private readonly pendingRequest = signal<RatingRequest | null>(null);
  readonly pending: Signal<RatingRequest | null> = this.pendingRequest.asReadonly();

  /** Called by the recorder when a call with warnings ends. */
  ask(request: RatingRequest): void {
    this.pendingRequest.set(request);
  }

  rate(input: QualityRatingInput): Observable<void> {
    const request = this.pendingRequest();
    if (!request) return EMPTY;
    return this.api.rate(request.callSid, input).pipe(tap(() => this.pendingRequest.set(null)));
  }

  dismiss(): void {
    this.pendingRequest.set(null);
  }
}
