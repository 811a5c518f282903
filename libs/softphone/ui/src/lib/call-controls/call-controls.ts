import { ChangeDetectionStrategy, Component, booleanAttribute, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { isConnectedCall, isLiveCall, type CallPhase } from '@switchboard/shared-voice-model';
import { SOFTPHONE_SHORTCUTS } from '../shortcuts/shortcuts';

/** Mute, keypad and hang up. Hang-up works from dialing on (cancelling); mute only with audio. */
@Component({
  selector: 'sb-call-controls',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button matIconButton type="button" [disabled]="!canMute()" data-testid="mute-button"
            [attr.aria-label]="muted() ? 'Unmute' : 'Mute'" [attr.aria-pressed]="muted()"
            [attr.aria-keyshortcuts]="shortcuts.mute.aria" [matTooltip]="(muted() ? 'Unmute' : 'Mute') + ' (' + shortcuts.mute.label + ')'"
            (click)="muteToggled.emit(!muted())" [class.active]="muted()">
      <mat-icon>{{ muted() ? 'mic_off' : 'mic' }}</mat-icon>
    </button>
    <button matIconButton type="button" [disabled]="!canMute()" data-testid="keypad-toggle"
            [attr.aria-label]="keypadOpen() ? 'Hide keypad' : 'Show keypad'" [attr.aria-expanded]="keypadOpen()"
            matTooltip="Keypad (send tones)" (click)="keypadToggled.emit(!keypadOpen())">
      <mat-icon>dialpad</mat-icon>
    </button>
    <button matButton="filled" type="button" class="hang-up" [disabled]="!canHangUp()" data-testid="hang-up-button"
            [attr.aria-keyshortcuts]="shortcuts.hangUp.aria" [matTooltip]="'Hang up (' + shortcuts.hangUp.label + ')'"
            (click)="hangUpRequested.emit()">
      <mat-icon>call_end</mat-icon> Hang up
    </button>
  `,
  styles: `
    :host { display: flex; align-items: center; justify-content: center; gap: 12px; flex-wrap: wrap; }
    .hang-up { --mat-button-filled-container-color: var(--mat-sys-error); --mat-button-filled-label-text-color: var(--mat-sys-on-error); }
    .active { background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
  `,
})
export class CallControls {
  readonly phase = input.required<CallPhase>();
  readonly muted = input(false, { transform: booleanAttribute });
  readonly keypadOpen = input(false, { transform: booleanAttribute });
  readonly muteToggled = output<boolean>();
  readonly keypadToggled = output<boolean>();
  readonly hangUpRequested = output<void>();

  protected readonly shortcuts = SOFTPHONE_SHORTCUTS;
  protected readonly canMute = computed(() => isConnectedCall(this.phase()));
  // Pending incoming calls are declined, not hung up; everything else live can be ended.
  protected readonly canHangUp = computed(() => isLiveCall(this.phase()) && this.phase() !== 'pending');
}
