import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { CallControlsHarness } from '../testing/softphone-harnesses';
import { CallControls } from './call-controls';

describe('CallControls', () => {
  function setup(phase: 'dialing' | 'open' | 'pending' | 'closed') {
    const fixture = TestBed.createComponent(CallControls);
    fixture.componentRef.setInput('phase', phase);
    return { fixture, controls: TestbedHarnessEnvironment.harnessForFixture(fixture, CallControlsHarness) };
  }

  it('offers hang-up while dialing, but mute only once the call is open', async () => {
    const { fixture, controls } = setup('dialing');
    const harness = await controls;
    expect(await harness.canHangUp()).toBe(true);
    expect(await harness.canMute()).toBe(false);

    fixture.componentRef.setInput('phase', 'open');
    expect(await harness.canMute()).toBe(true);
  });

  it('emits the new mute value and shows the shortcut', async () => {
    const { fixture, controls } = setup('open');
    fixture.componentRef.setInput('muted', true);
    const toggles: boolean[] = [];
    const keypad: boolean[] = [];
    let hangUps = 0;
    fixture.componentInstance.muteToggled.subscribe((value) => toggles.push(value));
    fixture.componentInstance.keypadToggled.subscribe((value) => keypad.push(value));
    fixture.componentInstance.hangUpRequested.subscribe(() => hangUps++);
    const harness = await controls;
    expect(await harness.isMuted()).toBe(true);
    expect(await harness.getMuteLabel()).toBe('Unmute');
    expect(await harness.getMuteShortcut()).toBe('Alt+M');
    await harness.toggleMute();
    expect(toggles).toEqual([false]);
    expect(await harness.isKeypadOpen()).toBe(false);
    await harness.toggleKeypad();
    expect(keypad).toEqual([true]);
    await harness.hangUp();
    expect(hangUps).toBe(1);
  });

  it('does not offer hang-up for a pending incoming call or a closed one', async () => {
    const { fixture, controls } = setup('pending');
    const harness = await controls;
    for (const phase of ['pending', 'closed'] as const) {
      fixture.componentRef.setInput('phase', phase);
      expect(await harness.canHangUp()).toBe(false);
    }
  });
});
