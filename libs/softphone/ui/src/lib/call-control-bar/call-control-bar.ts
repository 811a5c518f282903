import { ChangeDetectionStrategy, Component, booleanAttribute, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { ConsultAction } from '@switchboard/shared-contracts';
import { CALL_CONTROL_PHASE_WORDS, isCustomerHeld, nextCallControlPhase, type CallControlPhase } from '@switchboard/shared-voice-model';
import { CallTimer } from '../call-timer/call-timer';
import { SOFTPHONE_SHORTCUTS } from '../shortcuts/shortcuts';

/**
 * Hold/resume with a held timer, transfer, consult and, during a consult, complete / cancel /
 * three-way. Which buttons are offered follows the call-control table, so the bar can never offer
 * a move the state would refuse.
 */
@Component({
  selector: 'sb-call-control-bar',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule, CallTimer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="bar" aria-label="Call control" [attr.data-phase]="phase()">
      <p class="status" data-testid="call-control-status">
        <span>{{ phaseText() }}</span>
        @if (isHeld() && heldSince() !== null) {
          · <sb-call-timer [since]="heldSince()" label="On hold for" testId="held-timer" />
        }
      </p>
      @if (transferStatus(); as status) {
        <p class="transfer" data-testid="transfer-status">{{ status }}</p>
      }
      <div class="buttons">
        @if (canResume()) {
          <button matButton="tonal" type="button" data-testid="resume-button" [disabled]="pending()" aria-pressed="true"
                  [attr.aria-keyshortcuts]="shortcuts.hold.aria" [matTooltip]="'Resume (' + shortcuts.hold.label + ')'"
                  (click)="holdToggled.emit(false)"><mat-icon aria-hidden="true">play_arrow</mat-icon> Resume</button>
        } @else if (canHold() || phase() === 'holding') {
          <button matButton="outlined" type="button" data-testid="hold-button" [disabled]="pending() || !canHold()" aria-pressed="false"
                  [attr.aria-keyshortcuts]="shortcuts.hold.aria" [matTooltip]="'Hold (' + shortcuts.hold.label + ')'"
                  (click)="holdToggled.emit(true)"><mat-icon aria-hidden="true">pause</mat-icon> Hold</button>
        }
        @if (canTransfer()) {
          <button matButton="outlined" type="button" data-testid="transfer-button" [disabled]="pending()"
                  [attr.aria-keyshortcuts]="shortcuts.transfer.aria" [matTooltip]="'Transfer (' + shortcuts.transfer.label + ')'"
                  (click)="transferRequested.emit()"><mat-icon aria-hidden="true">phone_forwarded</mat-icon> Transfer</button>
          <button matButton="outlined" type="button" data-testid="consult-button" [disabled]="pending()"
                  [attr.aria-keyshortcuts]="shortcuts.consult.aria" [matTooltip]="'Consult first (' + shortcuts.consult.label + ')'"
                  (click)="consultRequested.emit()"><mat-icon aria-hidden="true">support_agent</mat-icon> Consult</button>
        }
        @if (canFinishConsult()) {
          <button matButton="filled" type="button" data-testid="complete-button" [disabled]="pending()"
                  (click)="consultAction.emit('complete')"><mat-icon aria-hidden="true">call_merge</mat-icon> Complete transfer</button>
          <button matButton="outlined" type="button" data-testid="three-way-button" [disabled]="pending()"
                  (click)="consultAction.emit('three-way')"><mat-icon aria-hidden="true">groups</mat-icon> Three-way</button>
        }
        @if (canCancel()) {
          <button matButton="outlined" type="button" data-testid="cancel-transfer-button" [disabled]="pending()"
                  (click)="consultAction.emit('cancel')"><mat-icon aria-hidden="true">undo</mat-icon> Cancel transfer</button>
        }
      </div>
    </section>
  `,
  styles: `
    .bar { display: flex; flex-direction: column; gap: 8px; }
    .status, .transfer { margin: 0; font: var(--mat-sys-body-medium); color: var(--mat-sys-on-surface-variant); }
    .status sb-call-timer { font: inherit; }
    .transfer { color: var(--mat-sys-on-surface); }
    .buttons { display: flex; gap: 8px; flex-wrap: wrap; justify-content: center; }
  `,
})
export class CallControlBar {
  readonly phase = input.required<CallControlPhase>();
  /** Epoch ms the customer was put on hold; the timer counts from it. */
  readonly heldSince = input<number | null>(null);
  /** The transfer or consult in words (`Consult with Bob: Ringing the transfer target`). */
  readonly transferStatus = input<string | null>(null);
  /** A request is in flight: buttons wait for its answer. */
  readonly pending = input(false, { transform: booleanAttribute });

  /** true: put the caller on hold; false: resume. */
  readonly holdToggled = output<boolean>();
  readonly transferRequested = output<void>();
  readonly consultRequested = output<void>();
  readonly consultAction = output<ConsultAction>();

  protected readonly shortcuts = SOFTPHONE_SHORTCUTS;
  private readonly allows = (event: Parameters<typeof nextCallControlPhase>[1]) => nextCallControlPhase(this.phase(), event) !== null;
  protected readonly phaseText = computed(() => CALL_CONTROL_PHASE_WORDS[this.phase()]);
  protected readonly isHeld = computed(() => isCustomerHeld(this.phase()));
  protected readonly canHold = computed(() => this.allows('hold-requested'));
  protected readonly canResume = computed(() => this.allows('resume-requested') || this.phase() === 'resuming');
  protected readonly canTransfer = computed(() => this.allows('transfer-opened'));
  protected readonly canFinishConsult = computed(() => this.allows('complete-requested') || this.phase() === 'completing' || this.phase() === 'joining-three-way');
  protected readonly canCancel = computed(() => this.allows('cancel-requested') || this.phase() === 'cancelling');
}
