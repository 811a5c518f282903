import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute, Router } from '@angular/router';
import { ClientConfigStore, RETURN_URL_PARAM, SessionStore, TOO_MANY_REQUESTS_STATUS, safeReturnUrl } from '@switchboard/softphone-data-access-api';
import { SignInForm } from '@switchboard/softphone-ui';
import type { LoginRequest } from '@switchboard/shared-contracts';
import { map } from 'rxjs';

const SECOND_MS = 1000;

/** "2 minutes", "1 minute", "45 seconds": minutes rounded up, so the agent never tries too early. */
export function waitText(seconds: number): string {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

export function throttledMessage(seconds: number): string {
  return `Too many sign-in attempts. Try again in ${waitText(seconds)}.`;
}

export const SIGN_IN_OPEN_AGAIN_MESSAGE = 'You can try signing in again now.';

/** The sign-in screen: on success the session store tells the phone to connect, and we go back. */
@Component({
  selector: 'sb-sign-in-page',
  imports: [MatCardModule, MatIconModule, SignInForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page">
      <mat-card appearance="outlined">
        <mat-card-content>
          <sb-sign-in-form [busy]="session.isBusy()" [blocked]="retryInSeconds() !== null" [error]="error()" (submitted)="signIn($event)" />
          @if (retryInSeconds(); as seconds) {
            <!-- Not a live region: it changes every second; the announcer speaks its start and its end. -->
            <p class="throttled" data-testid="sign-in-throttled" [attr.data-retry-in]="seconds">
              <mat-icon aria-hidden="true">timer</mat-icon>
              <span>{{ throttledText(seconds) }}</span>
            </p>
          }
          @if (sandbox()) {
            <p class="hint" data-testid="sign-in-sandbox-hint">
              Local sandbox: sign in as one of the demo agents listed in the README.
            </p>
          }
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .page { display: flex; justify-content: center; padding: 24px 12px; }
    mat-card { width: 100%; max-width: 440px; }
    .hint { color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); margin: 12px 0 0; }
    .throttled { display: flex; gap: 8px; align-items: center; margin: 12px 0 0; color: var(--mat-sys-error); font: var(--mat-sys-body-medium); }
  `,
})
export class SignInPage {
  protected readonly session = inject(SessionStore);
  private readonly clientConfig = inject(ClientConfigStore);
  private readonly router = inject(Router);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly returnUrl = toSignal(
    inject(ActivatedRoute).queryParamMap.pipe(map((params) => safeReturnUrl(params.get(RETURN_URL_PARAM)))),
    { initialValue: '/' },
  );
  /** The clock the countdown reads; ticks once a second only while sign-in is refused. */
  private readonly now = signal(Date.now());

  /** Whole seconds until the API takes a sign-in again after a 429; null when it takes one now. */
  protected readonly retryInSeconds = computed(() => {
    const retryAt = this.session.signInRetryAt();
    if (retryAt === null) return null;
    const seconds = Math.ceil((retryAt - this.now()) / SECOND_MS);
    return seconds > 0 ? seconds : null;
  });

  /**
   * A sign-in error wins; otherwise say so when the server could not even be reached at start-up. A 429
   * is told by the countdown instead (in the page's words, with the time), never as the API's sentence.
   */
  protected readonly error = computed(() => {
    const signInError = this.session.error();
    if (signInError?.statusCode === TOO_MANY_REQUESTS_STATUS) return null;
    return signInError ?? this.clientConfig.error();
  });
  protected readonly sandbox = this.clientConfig.isSandbox;
  protected readonly throttledText = throttledMessage;

  constructor() {
    effect((onCleanup) => {
      const retryAt = this.session.signInRetryAt();
      if (retryAt === null) return;
      const startedAt = Date.now();
      untracked(() => this.now.set(startedAt));
      if (retryAt <= startedAt) return;
      // Assertive: the agent just pressed Sign in and is waiting for an answer.
      void this.announcer.announce(throttledMessage(Math.ceil((retryAt - startedAt) / SECOND_MS)), 'assertive');
      const timer = setInterval(() => {
        const now = Date.now();
        this.now.set(now);
        if (now >= retryAt) {
          clearInterval(timer);
          void this.announcer.announce(SIGN_IN_OPEN_AGAIN_MESSAGE, 'polite');
        }
      }, SECOND_MS);
      onCleanup(() => clearInterval(timer));
    });
  }

  protected async signIn(credentials: LoginRequest): Promise<void> {
    if (this.retryInSeconds() !== null) return;
    if (await this.session.signIn(credentials)) {
      await this.router.navigateByUrl(this.returnUrl());
    }
  }
}
