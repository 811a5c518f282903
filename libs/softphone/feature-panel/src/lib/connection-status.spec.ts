import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { CONNECTION_PHASES, describeAppError, describeVoiceError, type ConnectionPhase } from '@switchboard/shared-voice-model';
import { selectSoftphoneViewModel, type ConnectionState } from '@switchboard/softphone-data-access-voice';
import { voiceRootState } from '@switchboard/softphone-data-access-voice/testing';
import { ConnectionBadge } from '@switchboard/softphone-ui';
import { ConnectionBadgeHarness } from '@switchboard/softphone-ui/testing';
import { announcementFor } from './softphone-announcer';
import { idleViewModel } from './testing-fixtures';

/** A typical store for each phase; a new phase fails the `satisfies` check until it is added here. */
const STATES = {
  'signed-out': {},
  'fetching-token': { identity: 'alice' },
  registering: { identity: 'alice' },
  registered: { identity: 'alice' },
  unregistered: { identity: 'alice', error: describeVoiceError(31005), retry: { attempt: 2, delayMs: 2000 } },
  error: { identity: 'alice', error: describeVoiceError(31201) },
  destroyed: { identity: 'alice' },
  standby: { identity: 'alice' },
} satisfies Record<ConnectionPhase, Partial<ConnectionState>>;

const viewModelIn = (phase: ConnectionPhase, patch: Partial<ConnectionState> = STATES[phase]) =>
  selectSoftphoneViewModel(voiceRootState({ connection: { ...patch, phase }, audioDevices: { permission: 'granted' } }));

/** What the chip shows and says for a phase, read through its harness. */
async function chipFor(phase: ConnectionPhase, patch?: Partial<ConnectionState>) {
  const fixture = TestBed.createComponent(ConnectionBadge);
  fixture.componentRef.setInput('status', viewModelIn(phase, patch).status);
  const chip = await TestbedHarnessEnvironment.harnessForFixture(fixture, ConnectionBadgeHarness);
  return { label: await chip.getLabel(), spoken: await chip.getAccessibleText(), tooltip: await chip.getTooltipText() };
}

/** What the screen reader hears when the phone moves into a phase. */
const announced = (phase: ConnectionPhase, patch?: Partial<ConnectionState>) =>
  announcementFor(idleViewModel({ status: { ...idleViewModel().status, label: 'Before' } }), viewModelIn(phase, patch))?.text;

describe('one status vocabulary: chip, tooltip and announcer', () => {
  it.each(CONNECTION_PHASES)('%s: the chip, its tooltip and the announcement say the same', async (phase) => {
    const chip = await chipFor(phase);
    const status = viewModelIn(phase).status;
    expect(chip.label).toBe(status.label);
    expect(chip.spoken).toBe(`Phone status: ${status.label}. ${status.guidance}`);
    expect(chip.tooltip).toBe(chip.spoken);
    expect(announced(phase)).toBe(chip.spoken);
  });

  it.each(CONNECTION_PHASES)('%s: says what the state is and what to do', (phase) => {
    const { label, guidance, canReconnect, canTakeOver } = viewModelIn(phase).status;
    expect(label.length).toBeGreaterThan(0);
    expect(guidance).toMatch(/\.$/);
    expect(label === 'Online').toBe(phase === 'registered');
    if (canReconnect) expect(guidance).toContain('Try again');
    if (canTakeOver) expect(guidance).toContain('Use this tab');
  });

  it('connecting for the first time is progress; connecting again after a failure is offline and retrying', async () => {
    expect((await chipFor('fetching-token')).label).toBe('Connecting…');
    expect((await chipFor('registering')).label).toBe('Connecting…');
    const again = await chipFor('fetching-token', { error: describeAppError('TokenFetchFailed'), retry: { attempt: 1, delayMs: 1000 } });
    expect(again.label).toBe('Offline · retrying');
    expect(again.spoken).toContain(describeAppError('TokenFetchFailed').message);
    expect(announced('fetching-token', { error: describeAppError('TokenFetchFailed'), retry: { attempt: 1, delayMs: 1000 } })).toBe(again.spoken);
  });

  it('a stopped phone says to press “Try again” in both places (it does not restart by itself)', async () => {
    const chip = await chipFor('destroyed');
    expect(chip.spoken).toContain('Press “Try again”');
    expect(announced('destroyed')).toBe(chip.spoken);
  });
});
