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
  private readonly busyWithCall = computed(() => !!(this.vm().activeCall || this.vm().incomingCall || this.vm().waitingCall));
  protected readonly shown = computed(() => (this.busyWithCall() ? null : this.ratings.pending()));
  protected readonly sending = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      if (this.busyWithCall() && untracked(this.ratings.pending)) untracked(() => this.ratings.dismiss());
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
