import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/**
 * "Your phone cannot ring": the API's verdict on this agent's reachability, in words, with what to do.
 * Not a live region itself: the container announces the change once (assertively).
 */
@Component({
  selector: 'sb-unreachable-banner',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="banner" aria-label="Your phone cannot ring" data-testid="unreachable-banner" [attr.data-reason]="reason()">
      <mat-icon aria-hidden="true">phone_disabled</mat-icon>
      <p class="text">
        <strong>Your phone cannot ring: <span data-testid="unreachable-words">{{ words() }}</span></strong>
        — <span data-testid="unreachable-next-step">{{ nextStep() }}</span>
      </p>
    </section>
  `,
  styles: `
    .banner { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 12px;
      background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .text { flex: 1; margin: 0; }
  `,
})
export class UnreachableBanner {
  readonly reason = input.required<string>();
  /** UNREACHABLE_REASON_WORDS of the reason. */
  readonly words = input.required<string>();
  readonly nextStep = input.required<string>();
}
