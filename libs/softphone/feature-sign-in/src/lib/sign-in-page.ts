import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { ActivatedRoute, Router } from '@angular/router';
import { ClientConfigStore, RETURN_URL_PARAM, SessionStore, safeReturnUrl } from '@switchboard/softphone-data-access-api';
import { SignInForm } from '@switchboard/softphone-ui';
import type { LoginRequest } from '@switchboard/shared-contracts';
import { map } from 'rxjs';

/** The sign-in screen: on success the session store tells the phone to connect, and we go back. */
@Component({
  selector: 'sb-sign-in-page',
  imports: [MatCardModule, SignInForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page">
      <mat-card appearance="outlined">
        <mat-card-content>
          <sb-sign-in-form [busy]="session.isBusy()" [error]="error()" (submitted)="signIn($event)" />
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
  `,
})
export class SignInPage {
  protected readonly session = inject(SessionStore);
  private readonly clientConfig = inject(ClientConfigStore);
  private readonly router = inject(Router);
  private readonly returnUrl = toSignal(
    inject(ActivatedRoute).queryParamMap.pipe(map((params) => safeReturnUrl(params.get(RETURN_URL_PARAM)))),
    { initialValue: '/' },
  );

  /** A sign-in error wins; otherwise say so when the server could not even be reached at start-up. */
  protected readonly error = computed(() => this.session.error() ?? this.clientConfig.error());
  protected readonly sandbox = this.clientConfig.isSandbox;

  protected async signIn(credentials: LoginRequest): Promise<void> {
    if (await this.session.signIn(credentials)) {
      await this.router.navigateByUrl(this.returnUrl());
    }
  }
}
