import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { SETUP_STEP_WORDS, type SetupEvent } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, formatFigure } from '../locale/display-locale';

/** One set-up step in words: "Invite to ringing: 420 ms", "Registration failed (31005: …)". */
export function setupStepText(event: SetupEvent, locale: string): string {
  const step = SETUP_STEP_WORDS[event.step] ?? event.step;
  if (event.error) return `${step} failed (code ${event.error.code}: ${event.error.message})`;
  if (event.durationMs === null) return `${step}: did not finish`;
  return event.durationMs >= 1000 ? `${step}: ${formatFigure(event.durationMs / 1000, 1, locale)} s` : `${step}: ${Math.round(event.durationMs)} ms`;
}

/** How the call was set up, step by step, in the order the steps started. */
@Component({
  selector: 'sb-quality-setup-timeline',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h4 class="title" [id]="headingId">Set-up</h4>
    @if (events().length > 0) {
      <ol class="timeline" data-testid="quality-setup-timeline" [attr.aria-labelledby]="headingId">
        @for (event of events(); track $index) {
          <li [class.failed]="!!event.error" [attr.data-step]="event.step">
            <mat-icon aria-hidden="true">{{ event.error ? 'error' : event.durationMs === null ? 'hourglass_empty' : 'check' }}</mat-icon>
            <span>{{ text(event) }}</span>
          </li>
        }
      </ol>
    } @else {
      <p class="none" data-testid="quality-setup-timeline">No set-up steps were recorded for this leg.</p>
    }
  `,
  styles: `
    .title { margin: 8px 0 4px; font: var(--mat-sys-title-small); }
    .timeline { list-style: none; margin: 0; padding: 0; }
    li { display: flex; gap: 6px; align-items: center; padding: 2px 0; }
    li mat-icon { width: 18px; height: 18px; font-size: 18px; color: var(--mat-sys-on-surface-variant); }
    .failed { color: var(--mat-sys-error); }
    .failed mat-icon { color: var(--mat-sys-error); }
    .none { margin: 0; color: var(--mat-sys-on-surface-variant); }
  `,
})
export class QualitySetupTimeline {
  readonly events = input.required<readonly SetupEvent[]>();
  /** Unique per leg: several legs' timelines can share a page. */
  readonly legId = input('leg');
  private readonly locale = inject(DISPLAY_LOCALE);
  protected get headingId(): string {
    return `sb-setup-${this.legId()}`;
  }
  protected text(event: SetupEvent): string {
    return setupStepText(event, this.locale);
  }
}
