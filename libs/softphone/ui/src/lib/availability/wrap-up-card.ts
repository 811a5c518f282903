import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { WRAP_UP_NOTE_MAX_LENGTH, type AvailabilityOption } from '@switchboard/shared-contracts';
import { formatDuration } from '../call-timer/call-timer';
import { secondTicker } from './elapsed-clock';

export interface WrapUpResult {
  readonly disposition: string;
  readonly note: string | null;
}

/**
 * After-call work: the agent picks a disposition (required), may add a note, and "Done" makes them
 * Available. The countdown to the API's own end of the wrap-up is not a live region (a number read
 * out every second is noise): the container announces the wrap-up once.
 */
@Component({
  selector: 'sb-wrap-up-card',
  imports: [FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="wrap-up-card">
      <mat-card-header>
        <mat-icon mat-card-avatar aria-hidden="true">edit_note</mat-icon>
        <mat-card-title><h2 class="title">Wrap-up</h2></mat-card-title>
        <mat-card-subtitle data-testid="wrap-up-countdown">
          @if (secondsLeft(); as left) { Ends by itself in <time [attr.datetime]="'PT' + left + 'S'">{{ clock(left) }}</time> }
          @else if (endsAt()) { Ending… }
          @else { Choose how the call ended, then Done. }
        </mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <form class="form" (ngSubmit)="submit()" id="wrap-up-form">
          <mat-form-field appearance="outline">
            <mat-label>Disposition</mat-label>
            <mat-select [ngModel]="disposition()" (ngModelChange)="disposition.set($event)" name="disposition" required data-testid="wrap-up-disposition">
              @for (option of dispositions(); track option.id) {
                <mat-option [value]="option.id" [attr.data-testid]="'wrap-up-disposition-' + option.id">{{ option.label }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Note (optional)</mat-label>
            <textarea matInput rows="2" [maxlength]="noteMax" [ngModel]="note()" (ngModelChange)="note.set($event)" name="note"
                      data-testid="wrap-up-note"></textarea>
            <mat-hint align="end">{{ note().length }} / {{ noteMax }}</mat-hint>
          </mat-form-field>
          @if (problem(); as p) {
            <p class="problem" role="alert" data-testid="wrap-up-problem">{{ p.message }} {{ p.nextStep }}</p>
          }
        </form>
      </mat-card-content>
      <mat-card-actions align="end">
        <button matButton="filled" type="submit" form="wrap-up-form" [disabled]="!disposition() || saving()" data-testid="wrap-up-done">
          <mat-icon aria-hidden="true">check</mat-icon> {{ saving() ? 'Saving…' : 'Done' }}
        </button>
      </mat-card-actions>
    </mat-card>
  `,
  styles: `
    .title { margin: 0; font: inherit; }
    .form { display: flex; flex-direction: column; gap: 4px; }
    .problem { margin: 0; color: var(--mat-sys-error); }
    time { font-variant-numeric: tabular-nums; }
  `,
})
export class WrapUpCard {
  readonly dispositions = input.required<readonly AvailabilityOption[]>();
  /** ISO instant the API ends the wrap-up by itself; null: only the agent ends it. */
  readonly endsAt = input<string | null>(null);
  readonly saving = input(false);
  readonly problem = input<{ readonly message: string; readonly nextStep: string } | null>(null);
  /** Wall clock, replaceable in tests. */
  readonly now = input<() => number>(() => Date.now());
  readonly done = output<WrapUpResult>();

  protected readonly noteMax = WRAP_UP_NOTE_MAX_LENGTH;
  protected readonly disposition = signal<string | null>(null);
  protected readonly note = signal('');
  private readonly ticker = secondTicker(this.now);
  protected readonly secondsLeft = computed(() => {
    const endsAt = this.endsAt();
    return endsAt === null ? 0 : Math.max(0, Math.ceil((Date.parse(endsAt) - this.ticker()) / 1000));
  });
  protected readonly clock = formatDuration;

  protected submit(): void {
    const disposition = this.disposition();
    if (!disposition || this.saving()) return;
    const note = this.note().trim();
    this.done.emit({ disposition, note: note.length > 0 ? note : null });
  }
}
