import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import {
  MONITOR_MODE_VERB,
  SoftphonePanelActions,
  SoftphoneSettingsActions,
  selectSoftphoneViewModel,
} from '@switchboard/softphone-data-access-voice';
import { AgentDirectoryStore } from '@switchboard/softphone-data-access-api';
import { CallOutcomeNotice, Dialer, ErrorGuidance, InCallView, injectHomeCountry, type DialTarget } from '@switchboard/softphone-ui';
import { injectPartyNamer } from './agent-directory';
import { AvailabilitySection } from './availability-section';
import { CallControlSection } from './call-control-section';
import { LineTestOffer } from './line-test-offer';
import { RatingSection } from './rating-section';

/** The phone itself: status, dialer or the live call, and how the last call ended. */
@Component({
  selector: 'sb-softphone-panel',
  imports: [MatButtonModule, MatIconModule, AvailabilitySection, CallControlSection, CallOutcomeNotice, Dialer, ErrorGuidance, InCallView, LineTestOffer, RatingSection],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="panel" aria-label="Phone">
      <!-- The toolbar's chip says the state; here, what to do about it (no second chip). -->
      @if (vm().status.phase === 'error' && vm().status.error; as error) {
        <sb-error-guidance [error]="error" />
      } @else if (vm().status.tone !== 'ok') {
        <p class="status-guidance" data-testid="status-guidance">{{ vm().status.guidance }}</p>
      }
      @if (vm().status.canReconnect || vm().status.canTakeOver) {
        <section class="status-actions">
          @if (vm().status.canReconnect) {
            <button matButton="outlined" type="button" (click)="reconnect()" data-testid="reconnect-button">
              <mat-icon>refresh</mat-icon> Try again
            </button>
          }
          @if (vm().status.canTakeOver) {
            <button matButton="filled" type="button" (click)="useThisTab()" data-testid="use-this-tab-button">
              <mat-icon>tab</mat-icon> Use this tab
            </button>
          }
        </section>
      }

      @if (vm().microphone.permission === 'denied') {
        <div class="notice" role="alert" data-testid="microphone-guidance">
          <mat-icon aria-hidden="true">mic_off</mat-icon>
          <p>{{ vm().microphone.guidance }}</p>
          <button matButton type="button" (click)="checkMicrophone()" data-testid="microphone-check">Check again</button>
        </div>
      }

      @if (vm().deviceNotice; as notice) {
        <div class="notice" role="status" data-testid="device-notice">
          <mat-icon aria-hidden="true">{{ notice.kind === 'input' ? 'mic' : 'headphones' }}</mat-icon>
          <p>{{ notice.message }}</p>
          <button matIconButton type="button" aria-label="Dismiss" (click)="dismissDeviceNotice()"><mat-icon>close</mat-icon></button>
        </div>
      }

      <!-- "Your phone cannot ring", the wrap-up card after a customer call, a refused status change. -->
      <sb-availability-section />

      <!-- Issue 14: "How was the call?" after a call with warnings; a line test offered while idle when the last is old. -->
      <sb-rating-section />
      <sb-line-test-offer />

      <!-- Hold, transfer, consult, participants, rejoin: only for calls the API says are controllable. -->
      <sb-call-control-section />

      @if (vm().activeCall; as call) {
        @let party = partyOf()(call.remote);
        <!-- A supervisor's monitor call reads as what it is: "Listening to Bob Brown's call". -->
        <sb-in-call-view [phase]="call.phase" [direction]="call.direction" [remote]="call.monitor ? monitorVerb[call.monitor.mode] + ' ' + party.name : party.name" [remoteDetail]="party.detail"
                         [connectedAt]="call.connectedAt"
                         [reconnectingSince]="call.reconnectingSince" [muted]="call.isMuted"
                         [warnings]="qualityWarnings()" [latestSample]="vm().quality?.latest ?? null"
                         (muteToggled)="setMuted(call.callId, $event)" (hangUpRequested)="hangUp(call.callId)"
                         (digitPressed)="sendDigits(call.callId, $event)" />
      } @else {
        @if (vm().endedCall; as ended) {
          <sb-call-outcome [outcome]="ended.outcome" (dismissed)="dismissEnded(ended.callId)" />
        }
        <sb-dialer [agents]="directory.agents()" [defaultCountry]="homeCountry" [blockedReason]="vm().dialDisabledReason" (dialed)="dial($event)" />
      }

      <p class="shortcuts" data-testid="shortcut-help">
        Shortcuts: <kbd>Alt</kbd>+<kbd>A</kbd> answer · <kbd>Alt</kbd>+<kbd>D</kbd> decline · <kbd>Alt</kbd>+<kbd>H</kbd> hang up ·
        <kbd>Alt</kbd>+<kbd>M</kbd> mute · <kbd>Alt</kbd>+<kbd>O</kbd> hold · <kbd>Alt</kbd>+<kbd>T</kbd> transfer ·
        <kbd>Alt</kbd>+<kbd>K</kbd> consult · <kbd>Alt</kbd>+<kbd>J</kbd> rejoin · <kbd>Alt</kbd>+<kbd>S</kbd> status
      </p>
    </main>
  `,
  styles: `
    .panel { display: flex; flex-direction: column; gap: 16px; max-width: 480px; margin: 0 auto; padding: 16px 12px; }
    .status-guidance { margin: 0; font: var(--mat-sys-body-medium); color: var(--mat-sys-on-surface-variant); }
    .status-actions { display: flex; gap: 8px; flex-wrap: wrap; }
    .notice { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 12px;
      background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .notice p { flex: 1; margin: 0; }
    .shortcuts { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); margin: 0; }
  `,
})
export class SoftphonePanel {
  private readonly store = inject(Store);
  protected readonly vm = this.store.selectSignal(selectSoftphoneViewModel);
  protected readonly directory = inject(AgentDirectoryStore);
  protected readonly partyOf = injectPartyNamer();
  /** National numbers typed or pasted into the dialer are read in the browser locale's country. */
  protected readonly homeCountry = injectHomeCountry();
  protected readonly monitorVerb = MONITOR_MODE_VERB;
  protected readonly qualityWarnings = computed(() => this.vm().quality?.warnings.map((w) => w.name) ?? []);

  protected dial(target: DialTarget): void {
    const to = target.kind === 'number' ? target.e164 : `client:${target.identity}`;
    this.store.dispatch(SoftphonePanelActions.dialSubmitted({ to }));
  }
  protected setMuted(callId: string, muted: boolean): void {
    this.store.dispatch(muted ? SoftphonePanelActions.muteClicked({ callId }) : SoftphonePanelActions.unmuteClicked({ callId }));
  }
  protected hangUp(callId: string): void {
    this.store.dispatch(SoftphonePanelActions.hangUpClicked({ callId }));
  }
  protected sendDigits(callId: string, digits: string): void {
    this.store.dispatch(SoftphonePanelActions.digitsPressed({ callId, digits }));
  }
  protected dismissEnded(callId: string): void {
    this.store.dispatch(SoftphonePanelActions.endedCallDismissed({ callId }));
  }
  protected reconnect(): void {
    this.store.dispatch(SoftphonePanelActions.reconnectClicked());
  }

  protected useThisTab(): void {
    this.store.dispatch(SoftphonePanelActions.useThisTabClicked());
  }
  protected checkMicrophone(): void {
    this.store.dispatch(SoftphoneSettingsActions.microphoneCheckClicked());
  }
  protected dismissDeviceNotice(): void {
    this.store.dispatch(SoftphoneSettingsActions.deviceNoticeDismissed());
  }
}
