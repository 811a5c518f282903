import { ChangeDetectionStrategy, Component, booleanAttribute, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { IncomingCallInfo } from '@switchboard/shared-voice-model';
import { describeParty, type PartyView } from '../party/party';
import { SOFTPHONE_SHORTCUTS } from '../shortcuts/shortcuts';

/** A ringing call: who, what they sent along, and three choices. */
@Component({
  selector: 'sb-incoming-call-card',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card" [class.waiting]="isCallWaiting()" data-testid="incoming-card"
              [attr.data-call-waiting]="isCallWaiting()" role="region" [attr.aria-label]="heading()">
      <mat-card-header>
        <mat-icon mat-card-avatar aria-hidden="true" class="ring">{{ isCallWaiting() ? 'phone_callback' : 'ring_volume' }}</mat-icon>
        <mat-card-title>{{ heading() }}</mat-card-title>
        <mat-card-subtitle data-testid="incoming-caller">
          {{ shownCaller().name }}
          @if (shownCaller().detail; as detail) { <span class="raw">({{ detail }})</span> }
        </mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        @if (call().isCallerVerified === true) {
          <p class="verified"><mat-icon aria-hidden="true">verified</mat-icon> Caller ID verified</p>
        } @else if (call().isCallerVerified === false) {
          <p class="unverified"><mat-icon aria-hidden="true">gpp_maybe</mat-icon> Caller ID could not be verified</p>
        }
        @if (parameters().length > 0) {
          <dl class="params" data-testid="incoming-parameters">
            @for (entry of parameters(); track entry[0]) {
              <div><dt>{{ entry[0] }}</dt><dd>{{ entry[1] }}</dd></div>
            }
          </dl>
        }
        @if (isCallWaiting()) {
          <p class="hint">You are on another call. Answering ends that call first.</p>
        }
      </mat-card-content>
      <mat-card-actions class="actions">
        <button matButton="filled" type="button" class="accept" data-testid="accept-button" [disabled]="isAccepting()"
                [attr.aria-keyshortcuts]="shortcuts.answer.aria" [matTooltip]="'Answer (' + shortcuts.answer.label + ')'"
                (click)="accepted.emit()">
          <mat-icon>call</mat-icon> {{ isAccepting() ? 'Answering…' : 'Answer' }}
        </button>
        <button matButton="outlined" type="button" class="decline" data-testid="decline-button" [disabled]="isAccepting()"
                [attr.aria-keyshortcuts]="shortcuts.decline.aria" [matTooltip]="'Decline (' + shortcuts.decline.label + ')'"
                (click)="declined.emit()">
          <mat-icon>call_end</mat-icon> Decline
        </button>
        <button matButton type="button" data-testid="ignore-button" [disabled]="isAccepting()"
                matTooltip="Stop ringing here; the caller keeps ringing elsewhere or reaches voicemail" (click)="ignored.emit()">
          <mat-icon>notifications_off</mat-icon> Ignore
        </button>
      </mat-card-actions>
    </mat-card>
  `,
  styles: `
    .card { border-width: 2px; border-color: var(--mat-sys-primary); }
    .card.waiting { border-color: var(--mat-sys-tertiary); }
    .raw { color: var(--mat-sys-on-surface-variant); }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; }
    .accept { --mat-button-filled-container-color: var(--mat-sys-primary); }
    .params { display: grid; gap: 2px; margin: 8px 0 0; font: var(--mat-sys-body-small); }
    .params div { display: flex; gap: 8px; }
    dt { color: var(--mat-sys-on-surface-variant); min-width: 80px; }
    dd { margin: 0; overflow-wrap: anywhere; }
    .verified, .unverified, .hint { display: flex; align-items: center; gap: 4px; margin: 4px 0; font: var(--mat-sys-body-small); }
    .unverified { color: var(--mat-sys-error); }
    @media (prefers-reduced-motion: no-preference) {
      .ring { animation: ring 1.2s ease-in-out infinite; }
      @keyframes ring { 0%, 100% { transform: rotate(0); } 10%, 30% { transform: rotate(-12deg); } 20%, 40% { transform: rotate(12deg); } 50% { transform: rotate(0); } }
    }
  `,
})
export class IncomingCallCard {
  readonly call = input.required<IncomingCallInfo>();
  /** The caller as the container named them (directory name, formatted number); else read from `call.from`. */
  readonly caller = input<PartyView | null>(null);
  readonly isCallWaiting = input(false, { transform: booleanAttribute });
  readonly isAccepting = input(false, { transform: booleanAttribute });
  readonly accepted = output<void>();
  readonly declined = output<void>();
  readonly ignored = output<void>();

  protected readonly shortcuts = SOFTPHONE_SHORTCUTS;
  protected readonly shownCaller = computed(() => this.caller() ?? describeParty(this.call().from, []));
  protected readonly heading = computed(() => (this.isCallWaiting() ? 'Call waiting' : 'Incoming call'));
  protected readonly parameters = computed(() => Object.entries(this.call().customParameters));
}
