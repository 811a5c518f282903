import { ChangeDetectionStrategy, Component, booleanAttribute, computed, input, output, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import {
  type CallDirection,
  type CallPhase,
  type QualitySample,
  type QualityWarningName,
} from '@switchboard/shared-voice-model';
import { CallControls } from '../call-controls/call-controls';
import { CallTimer } from '../call-timer/call-timer';
import { DtmfKeypad } from '../dtmf-keypad/dtmf-keypad';
import { QualityIndicator } from '../quality-indicator/quality-indicator';

const PHASE_TEXT: Readonly<Record<CallPhase, string>> = {
  dialing: 'Calling…',
  ringing: 'Ringing…',
  pending: 'Incoming…',
  accepting: 'Connecting…',
  open: 'On call',
  reconnecting: 'Reconnecting…',
  closed: 'Call ended',
};

/** Everything about the live call: who, how long, how it sounds, and the controls. */
@Component({
  selector: 'sb-in-call-view',
  imports: [MatIconModule, CallControls, CallTimer, DtmfKeypad, QualityIndicator],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="call" data-testid="in-call-view" [attr.data-phase]="phase()" aria-labelledby="sb-call-heading">
      <header class="head">
        <div class="who">
          <h2 id="sb-call-heading" class="remote"><span data-testid="call-remote">{{ remote() }}</span>
            @if (remoteDetail(); as detail) {
              {{ ' ' }}<span class="detail" data-testid="call-remote-detail">{{ detail }}</span>}</h2>
          <p class="phase" data-testid="call-phase">{{ direction() === 'incoming' ? 'Incoming · ' : 'Outgoing · ' }}{{ phaseText() }}</p>
        </div>
        <sb-call-timer [since]="connectedAt()" />
      </header>

      @if (phase() === 'reconnecting') {
        <div class="banner" role="status" data-testid="reconnecting-banner">
          <mat-icon aria-hidden="true">sync_problem</mat-icon>
          <span>Reconnecting… (<sb-call-timer [since]="reconnectingSince()" format="seconds" label="for" testId="reconnecting-elapsed" />)
            The network dropped; the call is kept for up to 30 s.</span>
        </div>
      }

      @if (showQuality()) {
        <sb-quality-indicator [warnings]="warnings()" [latest]="latestSample()" />
      }

      @if (keypadOpen()) {
        <sb-dtmf-keypad label="Send tones" (pressed)="digitPressed.emit($event)" [disabled]="phase() !== 'open'" />
      }

      <sb-call-controls [phase]="phase()" [muted]="muted()" [keypadOpen]="keypadOpen()"
                        (muteToggled)="muteToggled.emit($event)" (keypadToggled)="keypadOpen.set($event)"
                        (hangUpRequested)="hangUpRequested.emit()" />
    </section>
  `,
  styles: `
    .call { display: flex; flex-direction: column; gap: 12px; }
    .head { display: flex; align-items: flex-start; justify-content: space-between; gap: 8px; }
    .who { min-width: 0; }
    .remote { margin: 0; font: var(--mat-sys-headline-small); overflow-wrap: anywhere; }
    .detail { font: var(--mat-sys-title-small); color: var(--mat-sys-on-surface-variant); margin-inline-start: 0.25em; }
    .phase { margin: 0; color: var(--mat-sys-on-surface-variant); }
    .banner { display: flex; gap: 8px; align-items: flex-start; padding: 8px 12px; border-radius: 8px;
      background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .banner sb-call-timer { font: inherit; }
  `,
})
export class InCallView {
  readonly phase = input.required<CallPhase>();
  readonly direction = input<CallDirection>('outgoing');
  /** Who is on the other end, ready to show (name or formatted number). */
  readonly remote = input.required<string>();
  /** Shown beside the name: the agent identity behind a directory name. */
  readonly remoteDetail = input<string | null>(null);
  /** Epoch ms the call first reached `open`. */
  readonly connectedAt = input<number | null>(null);
  readonly reconnectingSince = input<number | null>(null);
  readonly muted = input(false, { transform: booleanAttribute });
  readonly warnings = input<readonly QualityWarningName[]>([]);
  readonly latestSample = input<QualitySample | null>(null);

  readonly muteToggled = output<boolean>();
  readonly hangUpRequested = output<void>();
  readonly digitPressed = output<string>();

  protected readonly keypadOpen = signal(false);
  protected readonly phaseText = computed(() => PHASE_TEXT[this.phase()]);
  protected readonly showQuality = computed(() => this.phase() === 'open' || this.phase() === 'reconnecting');
}
