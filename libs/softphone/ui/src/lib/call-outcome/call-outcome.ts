import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { describeCallOutcome, type CallOutcome } from '@switchboard/shared-voice-model';

const OUTCOME_GUIDANCE: Readonly<Record<Exclude<CallOutcome['kind'], 'failed'>, string | null>> = {
  completed: null,
  'no-answer': 'Nobody picked up. Try again later.',
  busy: 'The line was busy. Try again in a few minutes.',
  declined: 'The call was declined. Try again later or use another way to reach them.',
  cancelled: null,
  rejected: null,
  ignored: 'The caller may reach another agent or voicemail.',
};

/** How the last call ended, in words, with the next step when there is one. */
@Component({
  selector: 'sb-call-outcome',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="outcome" [class.failed]="outcome().kind === 'failed'" data-testid="call-outcome" [attr.data-outcome]="outcome().kind">
      <mat-icon aria-hidden="true">{{ outcome().kind === 'failed' ? 'error' : outcome().kind === 'completed' ? 'call_end' : 'phone_missed' }}</mat-icon>
      <div class="text">
        <p class="title">{{ title() }}</p>
        @if (guidance(); as next) { <p class="next" data-testid="call-outcome-guidance">{{ next }}</p> }
      </div>
      <button matIconButton type="button" aria-label="Dismiss" (click)="dismissed.emit()"><mat-icon>close</mat-icon></button>
    </div>
  `,
  styles: `
    .outcome { display: flex; align-items: flex-start; gap: 8px; padding: 8px 8px 8px 12px; border-radius: 12px;
      background: var(--mat-sys-surface-container-high); color: var(--mat-sys-on-surface); }
    .outcome.failed { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .text { flex: 1; min-width: 0; }
    p { margin: 0 0 2px; }
    .title { font: var(--mat-sys-title-small); }
    .next { font: var(--mat-sys-body-small); }
  `,
})
export class CallOutcomeNotice {
  readonly outcome = input.required<CallOutcome>();
  readonly dismissed = output<void>();
  protected readonly title = computed(() => describeCallOutcome(this.outcome()));
  protected readonly guidance = computed(() => {
    const outcome = this.outcome();
    return outcome.kind === 'failed' ? outcome.error.nextStep : OUTCOME_GUIDANCE[outcome.kind];
  });
}
