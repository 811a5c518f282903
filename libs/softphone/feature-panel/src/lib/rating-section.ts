import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { Store } from '@ngrx/store';
import type { QualityRatingInput } from '@switchboard/shared-contracts';
import { toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { CallRatingService } from '@switchboard/softphone-data-access-quality';
import { selectSoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { RatingPrompt } from '@switchboard/softphone-ui';

/**
 * "How was the call?" after a call that raised warnings. It never stands in the way of the next call: a
 * ringing or live call replaces it (the question is dropped, not queued behind the call).
 */
@Component({
  selector: 'sb-rating-section',
  imports: [RatingPrompt],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (shown(); as request) {
      <sb-rating-prompt [warnings]="request.warnings" [sending]="sending()" [error]="error()" (rated)="rate($event)" (dismissed)="dismiss()" />
    }
  `,
})
export class RatingSection {
  private readonly ratings = inject(CallRatingService);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly vm = inject(Store).selectSignal(selectSoftphoneViewModel);
  /** The CallSids of calls live or ringing now (null for an outgoing call that has none yet). */
  private readonly callsNow = computed(() => {
    const vm = this.vm();
    return [vm.activeCall, vm.incomingCall, vm.waitingCall].filter((call) => call !== null).map((call) => call.callSid);
  });
  protected readonly shown = computed(() => (this.callsNow().length > 0 ? null : this.ratings.pending()));
  protected readonly sending = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    // Another call replaces the question; the rated call itself, still closing in the store, does not.
    effect(() => {
      const calls = this.callsNow();
      const pending = untracked(this.ratings.pending);
      if (pending && calls.some((callSid) => callSid !== pending.callSid)) untracked(() => this.ratings.dismiss());
    });
    effect(() => {
      const request = this.shown();
      if (!request) return;
      untracked(() => {
        this.error.set(null);
        void this.announcer.announce('How was the call? Rate it from 1 to 5, or choose Not now.', 'polite');
      });
    });
  }

  protected rate(input: QualityRatingInput): void {
    this.sending.set(true);
    this.error.set(null);
    this.ratings.rate(input).subscribe({
      complete: () => {
        this.sending.set(false);
        void this.announcer.announce('Thank you, your rating is saved.', 'polite');
      },
      error: (error: unknown) => {
        this.sending.set(false);
        this.error.set(`The rating was not saved: ${toApiErrorBody(error).message} Try again, or choose Not now.`);
      },
    });
  }

  protected dismiss(): void {
    this.ratings.dismiss();
  }
}
