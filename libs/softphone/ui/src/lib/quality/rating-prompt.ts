import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatIconModule } from '@angular/material/icon';
import { FEEDBACK_ISSUES, FEEDBACK_ISSUE_WORDS, type FeedbackIssue, type FeedbackScore, type QualityRatingInput } from '@switchboard/shared-contracts';
import { warningTitle } from './quality-chart-data';

const SCORE_WORDS: Readonly<Record<FeedbackScore, string>> = { 1: 'Very bad', 2: 'Bad', 3: 'Fair', 4: 'Good', 5: 'Perfect' };

/** "How was the call?" after a call with warnings: a score 1–5, Twilio's issue names as chips, submit or dismiss. */
@Component({
  selector: 'sb-rating-prompt',
  imports: [MatButtonModule, MatChipsModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="prompt" data-testid="rating-prompt" aria-labelledby="sb-rating-title">
      <h2 id="sb-rating-title" class="title">How was the call?</h2>
      @if (warningWords()) { <p class="why">It had warnings: {{ warningWords() }}.</p> }
      <div class="scores" role="group" aria-label="Score from 1 (very bad) to 5 (perfect)">
        @for (value of scores; track value) {
          <button matButton="outlined" type="button" class="score" [class.chosen]="score() === value" [attr.aria-pressed]="score() === value"
                  [attr.aria-label]="value + ', ' + scoreWords[value]" (click)="score.set(value)" [attr.data-testid]="'rating-score-' + value">{{ value }}</button>
        }
      </div>
      <mat-chip-listbox multiple aria-label="What went wrong (optional)" (change)="issues.set($event.value)">
        @for (issue of issueNames; track issue) {
          <mat-chip-option [value]="issue" [attr.data-testid]="'rating-issue-' + issue">{{ issueWords[issue] }}</mat-chip-option>
        }
      </mat-chip-listbox>
      <div class="actions">
        <button matButton="filled" type="button" [disabled]="score() === null" (click)="submit()" data-testid="rating-submit">Send rating</button>
        <button matButton type="button" (click)="dismissed.emit()" data-testid="rating-dismiss">Not now</button>
        @if (sending()) { <span class="note" role="status">Sending…</span> }
      </div>
      @if (error()) { <p class="error" role="alert" data-testid="rating-error">{{ error() }}</p> }
    </section>
  `,
  styles: `
    .prompt { display: flex; flex-direction: column; gap: 8px; padding: 12px 16px; border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant); background: var(--mat-sys-surface-container); }
    .title { margin: 0; font: var(--mat-sys-title-medium); }
    .why, .note { margin: 0; font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    .scores { display: flex; gap: 4px; flex-wrap: wrap; }
    .score { min-width: 44px; }
    .score.chosen { background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); font-weight: 700; }
    .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .error { margin: 0; color: var(--mat-sys-error); }
  `,
})
export class RatingPrompt {
  /** The warnings the call raised (SDK names), said in words so the agent knows why they are asked. */
  readonly warnings = input<readonly string[]>([]);
  readonly sending = input(false);
  readonly error = input<string | null>(null);
  readonly rated = output<QualityRatingInput>();
  readonly dismissed = output<void>();
  protected readonly scores: readonly FeedbackScore[] = [1, 2, 3, 4, 5];
  protected readonly scoreWords = SCORE_WORDS;
  protected readonly issueNames = FEEDBACK_ISSUES;
  protected readonly issueWords = FEEDBACK_ISSUE_WORDS;
  protected readonly score = signal<FeedbackScore | null>(null);
  protected readonly issues = signal<FeedbackIssue[]>([]);
  protected readonly warningWords = computed(() => [...new Set(this.warnings().map(warningTitle))].join(', '));

  protected submit(): void {
    const score = this.score();
    if (score === null) return;
    this.rated.emit({ score, issues: [...(this.issues() ?? [])] });
  }
}
