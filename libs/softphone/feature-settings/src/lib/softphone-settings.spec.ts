import { Clipboard } from '@angular/cdk/clipboard';
import { LineTestService } from '@switchboard/softphone-data-access-quality';
import { FakeLineTests } from './line-test-fake';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import {
  DesktopNotificationSettingsActions,
  SoftphoneSettingsActions,
  selectDesktopNotificationsView,
  selectSettingsViewModel,
  selectVoiceDiagnostics,
  type DesktopNotificationsView,
  type SettingsViewModel,
  type VoiceDiagnostics,
} from '@switchboard/softphone-data-access-voice';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { describeAppError } from '@switchboard/shared-voice-model';
import { ClientConfigStore } from '@switchboard/softphone-data-access-api';
import { SoftphoneSettings } from './softphone-settings';
import { formatDiagnostics } from './diagnostics-report';

const settings: SettingsViewModel = {
  permission: 'granted',
  permissionGuidance: null,
  inputs: [
    { deviceId: 'default', label: 'Default microphone', groupId: 'a' },
    { deviceId: 'usb', label: 'USB headset', groupId: 'b' },
  ],
  outputs: [
    { deviceId: 'default', label: 'Default speaker', groupId: 'a' },
    { deviceId: 'loud', label: 'Loud speaker', groupId: 'c' },
  ],
  selectedInputId: 'default',
  selectedOutputId: 'default',
  selectedRingtoneId: null,
  isOutputSelectionSupported: true,
  inputLevel: 0.4,
  speakerTest: 'idle',
  logLevel: 'warn',
  notice: null,
  lastError: null,
  edgePreference: 'configured',
  edgeStatus: 'applied',
  edgeError: null,
};

const diagnostics: VoiceDiagnostics = {
  sdkVersion: '2.18.5',
  edge: 'roaming',
  connectionPhase: 'registered',
  identity: 'alice',
  callSid: 'CA123',
  recentWarnings: ['high-rtt'],
  recentErrors: [{ code: 31005, name: 'ConnectionError', message: 'lost', at: '2026-11-24T10:00:00.000Z' }],
};

const notificationsView = (permission: DesktopNotificationsView['permission'], guidance: string | null = null): DesktopNotificationsView => ({
  permission,
  isAsking: false,
  canAsk: permission === 'not-asked',
  status: `status ${permission}.`,
  guidance,
});

describe('SoftphoneSettings', () => {
  let store: MockStore;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideMockStore(), provideHttpClient(), provideHttpClientTesting(), { provide: LineTestService, useValue: new FakeLineTests() }] });
    store = TestBed.inject(MockStore);
    store.overrideSelector(selectSettingsViewModel, settings);
    store.overrideSelector(selectVoiceDiagnostics, diagnostics);
    store.overrideSelector(selectDesktopNotificationsView, notificationsView('not-asked'));
  });

  it('switches microphone and log level through the store', async () => {
    const dispatch = jest.spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const microphone = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=microphone-select]' }));
    expect(await microphone.getValueText()).toBe('Default microphone');
    await microphone.open();
    await microphone.clickOptions({ text: 'USB headset' });
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.inputDeviceSelected({ deviceId: 'usb' }));

    const logLevel = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=log-level-select]' }));
    await logLevel.open();
    await logLevel.clickOptions({ text: 'debug' });
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.logLevelChanged({ level: 'debug' }));
  });

  it('chooses an edge through the store; says nothing more while it is in effect', async () => {
    const dispatch = jest.spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const edge = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=edge-select]' }));
    expect(await edge.getValueText()).toBe('Server default (configured order)');
    await edge.open();
    const options = await edge.getOptions();
    const labels = await Promise.all(options.map((o) => o.getText()));
    expect(labels).toEqual(expect.arrayContaining(['Automatic (roaming)', 'Dublin, Ireland', 'São Paulo, Brazil', 'Umatilla, US West']));
    expect(labels).toHaveLength(10);
    await edge.clickOptions({ text: 'Automatic (roaming)' });
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.edgePreferenceSelected({ preference: 'roaming' }));
    expect(fixture.nativeElement.querySelector('[data-testid=edge-status]')).toBeNull();
    expect(fixture.nativeElement.querySelector('[data-testid=edge-sandbox-note]')).toBeNull();
  });

  it('says a choice made during a call waits for the call to end, and explains a failure', async () => {
    store.overrideSelector(selectSettingsViewModel, { ...settings, edgePreference: 'tokyo', edgeStatus: 'pending-call' });
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const edge = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=edge-select]' }));
    expect(await edge.getValueText()).toBe('Tokyo, Japan');
    const status = () => (fixture.nativeElement.querySelector('[data-testid=edge-status]') as HTMLElement).textContent ?? '';
    expect(status()).toContain('Applies when the current call ends');

    store.overrideSelector(selectSettingsViewModel, { ...settings, edgePreference: 'tokyo', edgeStatus: 'failed', edgeError: describeAppError('EdgeChangeFailed') });
    store.refreshState();
    fixture.detectChanges();
    expect(status()).toContain('could not be applied');
    expect(status()).toContain('Automatic (roaming)');
  });

  it('in sandbox mode says the sandbox overrides the edge (the choice is still offered and saved)', async () => {
    const config = TestBed.inject(ClientConfigStore);
    const loading = config.load();
    TestBed.inject(HttpTestingController)
      .expectOne(API_ROUTES.clientConfig)
      .flush({ mode: 'sandbox', sandboxSignalingHost: '127.0.0.1:8443', sandboxOrigin: null, edge: [], logLevel: 'warn', tokenRefreshMs: 30000 });
    await loading;
    const fixture = TestBed.createComponent(SoftphoneSettings);
    fixture.detectChanges();
    const note = fixture.nativeElement.querySelector('[data-testid=edge-sandbox-note]') as HTMLElement | null;
    expect(note?.textContent).toContain('overrides the edge');
    expect(fixture.nativeElement.querySelector('[data-testid=edge-select]')).not.toBeNull();
  });

  it('plays the speaker test and disables speaker choice where the browser cannot route audio', async () => {
    store.overrideSelector(selectSettingsViewModel, { ...settings, isOutputSelectionSupported: false });
    const dispatch = jest.spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    expect(await (await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=speaker-select]' }))).isDisabled()).toBe(true);
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=speaker-test]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.speakerTestClicked());
  });

  it('copies diagnostics with the SDK version, edge, Call SID, warnings and errors', async () => {
    const copy = jest.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=copy-diagnostics]' }))).click();
    const text = copy.mock.calls[0][0];
    for (const fact of ['Voice SDK: 2.18.5', 'Edge: roaming', 'Last Call SID: CA123', 'high-rtt', '31005 ConnectionError: lost']) {
      expect(text).toContain(fact);
    }
  });

  it('offers a microphone check when permission is missing', async () => {
    store.overrideSelector(selectSettingsViewModel, { ...settings, permission: 'denied', permissionGuidance: 'Allow the microphone in the address bar.' });
    const dispatch = jest.spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=settings-permission]')?.textContent).toContain('address bar');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=microphone-check]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.microphoneCheckClicked());
  });
});

describe('SoftphoneSettings: ringtone device and desktop notifications', () => {
  let store: MockStore;
  const text = (fixture: { nativeElement: HTMLElement }, testId: string) => fixture.nativeElement.querySelector(`[data-testid=${testId}]`)?.textContent ?? null;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideMockStore(), provideHttpClient(), provideHttpClientTesting(), { provide: LineTestService, useValue: new FakeLineTests() }] });
    store = TestBed.inject(MockStore);
    store.overrideSelector(selectSettingsViewModel, settings);
    store.overrideSelector(selectVoiceDiagnostics, diagnostics);
    store.overrideSelector(selectDesktopNotificationsView, notificationsView('not-asked'));
  });

  it('offers a ringtone output beside the speaker, from the output devices, through the store', async () => {
    const dispatch = jest.spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const ringtone = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=ringtone-select]' }));
    await ringtone.open();
    expect(await Promise.all((await ringtone.getOptions()).map((o) => o.getText()))).toEqual(['Default speaker', 'Loud speaker']);
    await ringtone.clickOptions({ text: 'Loud speaker' });
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.ringtoneDeviceSelected({ deviceId: 'loud' }));
  });

  it('shows no ringtone choice where the browser cannot choose outputs', async () => {
    store.overrideSelector(selectSettingsViewModel, { ...settings, isOutputSelectionSupported: false });
    const fixture = TestBed.createComponent(SoftphoneSettings);
    await fixture.whenStable();
    expect(text(fixture, 'ringtone-select')).toBeNull();
    expect(text(fixture, 'speaker-select')).not.toBeNull();
  });

  it('explains why before asking, and asks only when the agent presses the button', async () => {
    const dispatch = jest.spyOn(store, 'dispatch');
    const fixture = TestBed.createComponent(SoftphoneSettings);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
    expect(text(fixture, 'desktop-notifications')).toContain('another tab');
    expect(text(fixture, 'desktop-notifications-status')).toContain('status not-asked.');
    expect(dispatch).not.toHaveBeenCalledWith(DesktopNotificationSettingsActions.enableClicked());
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=desktop-notifications-enable]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(DesktopNotificationSettingsActions.enableClicked());
  });

  it('says when they are blocked and how to allow them in the browser; no button then, nor once granted', async () => {
    store.overrideSelector(selectDesktopNotificationsView, notificationsView('denied', 'Set Notifications to Allow.'));
    const fixture = TestBed.createComponent(SoftphoneSettings);
    await fixture.whenStable();
    const status = fixture.nativeElement.querySelector('[data-testid=desktop-notifications-status]') as HTMLElement;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toContain('status denied.');
    expect(status.textContent).toContain('Set Notifications to Allow.');
    expect(text(fixture, 'desktop-notifications-enable')).toBeNull();

    store.overrideSelector(selectDesktopNotificationsView, notificationsView('granted'));
    store.refreshState();
    fixture.detectChanges();
    expect(status.getAttribute('data-permission')).toBe('granted');
    expect(text(fixture, 'desktop-notifications-enable')).toBeNull();
  });
});

describe('formatDiagnostics', () => {
  it('says "none" and "not loaded yet" rather than leaving blanks', () => {
    const text = formatDiagnostics(
      { ...diagnostics, sdkVersion: null, edge: null, callSid: null, recentWarnings: [], recentErrors: [] },
      null,
      'UA',
      new Date('2026-11-24T00:00:00Z'),
    );
    expect(text).toContain('Voice SDK: not loaded yet');
    expect(text).toContain('Recent quality warnings: none');
    expect(text).toContain('Recent errors:\n  none');
  });
});
