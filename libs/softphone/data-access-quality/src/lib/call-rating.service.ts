import { Injectable, inject, signal, type Signal } from '@angular/core';
import type { QualityRatingInput, RecordedWarningName } from '@switchboard/shared-contracts';
import { ClientConfigStore } from '@switchboard/softphone-data-access-api';
import { VOICE_PORT } from '@switchboard/softphone-data-access-voice';
import type { CallId } from '@switchboard/shared-voice-model';
import { EMPTY, catchError, defer, of, switchMap, tap, type Observable } from 'rxjs';
import { QualityApi } from './quality-api';

/** A call that raised at least one warning has ended: ask the agent "How was the call?". */
export interface RatingRequest {
  readonly callSid: string;
  readonly warnings: readonly RecordedWarningName[];
  readonly endedAt: string;
}

/**
 * The one-tap rating after a call with warnings. Stored by the API (PUT rating); in twilio mode also sent
 * to Voice Insights with the SDK's `postFeedback` (the sandbox has no Insights to send it to). The API's
 * answer decides success: Twilio's copy is best effort and its failure is not the agent's problem.
 */
@Injectable({ providedIn: 'root' })
export class CallRatingService {
  private readonly api = inject(QualityApi);
  private readonly voice = inject(VOICE_PORT);
  private readonly clientConfig = inject(ClientConfigStore);
  private readonly pendingRequest = signal<RatingRequest | null>(null);
  /** The adapter's id of the pending call (postFeedback needs the SDK's Call, which the adapter knows by it). */
  private pendingCallId: CallId | null = null;
  readonly pending: Signal<RatingRequest | null> = this.pendingRequest.asReadonly();

  /** Called by the recorder when a call with warnings ends; a newer call replaces an unanswered question. */
  ask(request: RatingRequest, callId: CallId | null = null): void {
    this.pendingCallId = callId;
    this.pendingRequest.set(request);
  }

  /** Completes once the API stored it (then `pending` clears); errors with the API's error, `pending` kept for another try. */
  rate(input: QualityRatingInput): Observable<void> {
    return defer(() => {
      const request = this.pendingRequest();
      if (!request) return EMPTY;
      const callId = this.pendingCallId;
      return this.api.rate(request.callSid, input).pipe(
        switchMap(() => (this.clientConfig.config()?.mode === 'twilio' && callId ? this.postFeedback(callId, input) : of(undefined))),
        tap(() => {
          if (this.pendingRequest() === request) this.clear();
        }),
      );
    });
  }

  dismiss(): void {
    this.clear();
  }

  private postFeedback(callId: CallId, input: QualityRatingInput): Observable<void> {
    // postFeedback takes one issue: the first the agent chose.
    return this.voice.postFeedback(callId, input.score, input.issues[0] ?? null).pipe(catchError(() => of(undefined)));
  }

  private clear(): void {
    this.pendingCallId = null;
    this.pendingRequest.set(null);
  }
}
