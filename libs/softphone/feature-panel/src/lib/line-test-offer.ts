import { ChangeDetectionStrategy, Component, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import { SessionStore } from '@switchboard/softphone-data-access-api';
import { LineTestService } from '@switchboard/softphone-data-access-quality';
import { selectSoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { LineTestView, injectLineTestRun } from '@switchboard/softphone-ui';

/** "Skip" lasts until the next sign-in: a new session (another agent, or the same one again) offers the test anew. */
@Injectable({ providedIn: 'root' })
export class LineTestOfferState {
  private readonly skippedState = signal(false);
  readonly skipped = this.skippedState.asReadonly();

  constructor() {
    const session = inject(SessionStore);
    // By identity, not by object: restoring the same session (a guard's check) must not bring the offer back.
    let signedIn: string | null = null;
    effect(() => {
      const identity = session.agent()?.identity ?? null;
      if (identity !== signedIn && identity !== null) untracked(() => this.skippedState.set(false));
      signedIn = identity;
    });
  }

  skip(): void {
    this.skippedState.set(true);
  }
}

/**
 * Offered before taking calls when the last line test is missing or too old (ClientConfig.lineTestMaxAgeHours):
 * the phone is registered and idle, so a test call cannot collide with a real one. Once run from here, the
 * card stays to show the progress and the result until closed.
 */
@Component({
  selector: 'sb-line-test-offer',
  imports: [MatButtonModule, MatIconModule, LineTestView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (shown()) {
      <section class="offer" data-testid="line-test-offer" aria-labelledby="sb-line-test-offer-title">
        <h2 id="sb-line-test-offer-title" class="title"><mat-icon aria-hidden="true">network_check</mat-icon> Test your line before taking calls</h2>
        @if (shownProgress(); as progress) {
          <sb-line-test-view [progress]="progress" [lastTest]="progress.result" />
          @if (progress.phase === 'done' || progress.phase === 'failed') {
            <div class="actions">
              @if (progress.phase === 'failed') {
                <button matButton="filled" type="button" (click)="run()" data-testid="line-test-offer-run">Test again</button>
              }
              <button matButton type="button" (click)="close()" data-testid="line-test-offer-close">Close</button>
            </div>
          }
        } @else {
          <p class="why">{{ lineTests.lastTest() ? 'Your last line test is out of date.' : 'You have not tested your line yet.' }}
            A short test call (about 15 seconds) checks your network with the same settings as your calls.</p>
          <div class="actions">
            <button matButton="filled" type="button" (click)="run()" data-testid="line-test-offer-run">Test my line</button>
            <button matButton type="button" (click)="offers.skip()" data-testid="line-test-offer-skip">Skip for now</button>
          </div>
        }
      </section>
    }
  `,
  styles: `
    .offer { display: flex; flex-direction: column; gap: 8px; padding: 12px 16px; border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant); background: var(--mat-sys-surface-container); }
    .title { display: flex; align-items: center; gap: 6px; margin: 0; font: var(--mat-sys-title-medium); }
    .why { margin: 0; }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; }
  `,
})
export class LineTestOffer {
  protected readonly lineTests = inject(LineTestService);
  protected readonly offers = inject(LineTestOfferState);
  private readonly vm = inject(Store).selectSignal(selectSoftphoneViewModel);
  protected readonly runner = injectLineTestRun(() => this.lineTests.run());
  private readonly closed = signal(false);
  /** Signed in (this screen is behind the sign-in guard), registered, and neither on nor offered a call. */
  private readonly idleAndOnline = computed(() => {
    const vm = this.vm();
    return vm.status.phase === 'registered' && !vm.activeCall && !vm.incomingCall && !vm.waitingCall;
  });
  protected readonly shown = computed(() => {
    if (this.runner.progress() !== null && !this.closed()) return true;
    return this.lineTests.due() && !this.offers.skipped() && this.idleAndOnline() && !this.lineTests.running();
  });

  protected readonly shownProgress = computed(() => (this.closed() ? null : this.runner.progress()));

  protected run(): void {
    this.closed.set(false);
    this.runner.run();
  }

  /** Closing the result is done with the offer for this session. */
  protected close(): void {
    this.closed.set(true);
    this.offers.skip();
  }
}
