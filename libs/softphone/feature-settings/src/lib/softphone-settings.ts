import { LiveAnnouncer } from '@angular/cdk/a11y';
import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { Store } from '@ngrx/store';
import { EDGE_PREFERENCES, VOICE_LOG_LEVELS, edgePreferenceLabel, type EdgePreference, type VoiceLogLevel } from '@switchboard/shared-voice-model';
import { ClientConfigStore } from '@switchboard/softphone-data-access-api';
import { SoftphoneSettingsActions, selectSettingsViewModel, selectVoiceDiagnostics } from '@switchboard/softphone-data-access-voice';
import { AudioDeviceSelect, DiagnosticsPanel, LevelMeter } from '@switchboard/softphone-ui';
import { DesktopNotificationsSetting } from './desktop-notifications-setting';
import { formatDiagnostics } from './diagnostics-report';
import { LineTestSetting } from './line-test-setting';

const SPEAKER_TEST_TEXT = { idle: 'Play test sound', starting: 'Starting…', playing: 'Playing…', failed: 'Play test sound' } as const;

/** Audio devices (with the ringtone's), microphone permission help, desktop notifications, log level, edge, the line test and copyable diagnostics. */
@Component({
  selector: 'sb-softphone-settings',
  imports: [MatButtonModule, MatCardModule, MatFormFieldModule, MatIconModule, MatSelectModule, AudioDeviceSelect, DesktopNotificationsSetting, DiagnosticsPanel, LevelMeter, LineTestSetting],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page" aria-label="Settings">
      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Audio</mat-card-title></mat-card-header>
        <mat-card-content class="stack">
          @if (vm().permission !== 'granted') {
            <div class="notice" role="status" data-testid="settings-permission">
              <mat-icon aria-hidden="true">mic_off</mat-icon>
              <p>{{ vm().permissionGuidance ?? 'Switchboard needs your microphone to show device names and place calls.' }}</p>
              <button matButton="tonal" type="button" (click)="checkMicrophone()" data-testid="microphone-check">Check microphone</button>
            </div>
          }
          @if (vm().notice; as notice) {
            <div class="notice" role="status" data-testid="device-notice">
              <p>{{ notice.message }}</p>
              <button matIconButton type="button" aria-label="Dismiss" (click)="dismissNotice()"><mat-icon>close</mat-icon></button>
            </div>
          }
          <sb-audio-device-select label="Microphone" testId="microphone-select" [devices]="vm().inputs" [selectedId]="vm().selectedInputId"
                                  (selected)="selectInput($event)" />
          <sb-level-meter [level]="vm().inputLevel" label="Microphone level" />
          <sb-audio-device-select label="Speaker" testId="speaker-select" [devices]="vm().outputs" [selectedId]="vm().selectedOutputId"
                                  [disabled]="!vm().isOutputSelectionSupported"
                                  [hint]="vm().isOutputSelectionSupported ? null : 'This browser always plays calls on the system speaker.'"
                                  (selected)="selectOutput($event)" />
          @if (vm().isOutputSelectionSupported) {
            <sb-audio-device-select label="Ringtone" testId="ringtone-select" [devices]="vm().outputs" [selectedId]="vm().selectedRingtoneId"
                                    hint="Where incoming calls ring, e.g. a loudspeaker while you wear a headset."
                                    (selected)="selectRingtone($event)" />
          }
          <div class="row">
            <button matButton="outlined" type="button" (click)="testSpeaker()" [disabled]="vm().speakerTest === 'starting' || vm().speakerTest === 'playing'"
                    data-testid="speaker-test">
              <mat-icon>volume_up</mat-icon> {{ speakerTestText() }}
            </button>
            @if (vm().speakerTest === 'failed') {
              <span class="error" role="alert" data-testid="speaker-test-failed">The test sound could not play on this speaker.</span>
            }
          </div>
          <sb-desktop-notifications-setting />
        </mat-card-content>
      </mat-card>

      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Connection</mat-card-title></mat-card-header>
        <mat-card-content class="stack">
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Voice SDK log level</mat-label>
            <mat-select [value]="vm().logLevel ?? 'warn'" (selectionChange)="setLogLevel($event.value)" data-testid="log-level-select">
              @for (level of logLevels; track level) { <mat-option [value]="level">{{ level }}</mat-option> }
            </mat-select>
            <mat-hint>Applied at once. Use debug only while reproducing a problem.</mat-hint>
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Edge (Twilio data center)</mat-label>
            <mat-select [value]="vm().edgePreference" (selectionChange)="setEdge($event.value)" data-testid="edge-select">
              @for (edge of edgeChoices; track edge.value) { <mat-option [value]="edge.value">{{ edge.label }}</mat-option> }
            </mat-select>
            <mat-hint>Pick the edge nearest to you, or let Twilio choose. Changing it reconnects the phone.</mat-hint>
          </mat-form-field>
          @switch (vm().edgeStatus) {
            @case ('pending-call') {
              <p class="fact" role="status" data-testid="edge-status">Applies when the current call ends.</p>
            }
            @case ('applying') {
              <p class="fact" role="status" data-testid="edge-status">Applying…</p>
            }
            @case ('failed') {
              <p class="error" role="alert" data-testid="edge-status">{{ vm().edgeError?.message }} {{ vm().edgeError?.nextStep }}</p>
            }
          }
          @if (isSandbox()) {
            <p class="fact" role="note" data-testid="edge-sandbox-note">
              Sandbox mode: the phone connects to the local sandbox, which overrides the edge. Your choice is saved and
              used against Twilio.
            </p>
          }
          <p class="fact" data-testid="edge-info">
            Edge: <strong>{{ diagnostics().edge ?? 'not connected' }}</strong>
            (configured order: {{ configuredEdges() }}).
          </p>
        </mat-card-content>
      </mat-card>

      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Line test</mat-card-title></mat-card-header>
        <mat-card-content>
          <sb-line-test-setting />
        </mat-card-content>
      </mat-card>

      <mat-card appearance="outlined">
        <mat-card-header><mat-card-title>Diagnostics</mat-card-title></mat-card-header>
        <mat-card-content>
          <sb-diagnostics-panel [report]="report()" (copied)="announceCopy($event)" />
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .page { display: flex; flex-direction: column; gap: 16px; max-width: 560px; margin: 0 auto; padding: 16px 12px; }
    .stack { display: flex; flex-direction: column; gap: 8px; padding-top: 8px; }
    .row { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
    .notice { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 12px;
      background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .notice p { flex: 1; margin: 0; }
    .error { color: var(--mat-sys-error); }
    .fact { margin: 0; }
  `,
})
export class SoftphoneSettings {
  private readonly store = inject(Store);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly clientConfig = inject(ClientConfigStore);
  private readonly userAgent = inject(DOCUMENT).defaultView?.navigator.userAgent ?? 'unknown';
  protected readonly vm = this.store.selectSignal(selectSettingsViewModel);
  protected readonly diagnostics = this.store.selectSignal(selectVoiceDiagnostics);
  protected readonly logLevels = VOICE_LOG_LEVELS;
  protected readonly edgeChoices = EDGE_PREFERENCES.map((value) => ({ value, label: edgePreferenceLabel(value) }));
  protected readonly isSandbox = this.clientConfig.isSandbox;
  protected readonly speakerTestText = computed(() => SPEAKER_TEST_TEXT[this.vm().speakerTest]);
  protected readonly configuredEdges = computed(() => this.clientConfig.config()?.edge.join(' → ') || 'roaming');
  protected readonly report = computed(() =>
    formatDiagnostics(this.diagnostics(), this.clientConfig.config(), this.userAgent, new Date()),
  );

  protected selectInput(deviceId: string): void {
    this.store.dispatch(SoftphoneSettingsActions.inputDeviceSelected({ deviceId }));
  }
  protected selectOutput(deviceId: string): void {
    this.store.dispatch(SoftphoneSettingsActions.outputDeviceSelected({ deviceId }));
  }
  protected selectRingtone(deviceId: string): void {
    this.store.dispatch(SoftphoneSettingsActions.ringtoneDeviceSelected({ deviceId }));
  }
  protected testSpeaker(): void {
    this.store.dispatch(SoftphoneSettingsActions.speakerTestClicked());
  }
  protected setLogLevel(level: VoiceLogLevel): void {
    this.store.dispatch(SoftphoneSettingsActions.logLevelChanged({ level }));
  }
  protected setEdge(preference: EdgePreference): void {
    this.store.dispatch(SoftphoneSettingsActions.edgePreferenceSelected({ preference }));
  }
  protected checkMicrophone(): void {
    this.store.dispatch(SoftphoneSettingsActions.microphoneCheckClicked());
  }
  protected dismissNotice(): void {
    this.store.dispatch(SoftphoneSettingsActions.deviceNoticeDismissed());
  }
  protected announceCopy(copied: boolean): void {
    void this.announcer.announce(copied ? 'Diagnostics copied.' : 'Copying failed. Select the text and copy it by hand.');
  }
}
