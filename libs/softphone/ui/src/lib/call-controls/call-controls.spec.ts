import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { CallControls } from './call-controls';

describe('CallControls', () => {
  it('offers hang-up while dialing, but mute only once the call is open', async () => {
    const fixture = TestBed.createComponent(CallControls);
    fixture.componentRef.setInput('phase', 'dialing');
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const hangUp = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=hang-up-button]' }));
    const mute = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=mute-button]' }));
    expect(await hangUp.isDisabled()).toBe(false);
    expect(await mute.isDisabled()).toBe(true);

    fixture.componentRef.setInput('phase', 'open');
    expect(await mute.isDisabled()).toBe(false);
  });

  it('emits the new mute value and shows the shortcut', async () => {
    const fixture = TestBed.createComponent(CallControls);
    fixture.componentRef.setInput('phase', 'open');
    fixture.componentRef.setInput('muted', true);
    const toggles: boolean[] = [];
    let hangUps = 0;
    fixture.componentInstance.muteToggled.subscribe((value) => toggles.push(value));
    fixture.componentInstance.hangUpRequested.subscribe(() => hangUps++);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const mute = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=mute-button]' }));
    expect(await (await mute.host()).getAttribute('aria-label')).toBe('Unmute');
    expect(await (await mute.host()).getAttribute('aria-keyshortcuts')).toBe('Alt+M');
    await mute.click();
    expect(toggles).toEqual([false]);
    await (await loader.getHarness(MatButtonHarness.with({ text: /Hang up/ }))).click();
    expect(hangUps).toBe(1);
  });

  it('does not offer hang-up for a pending incoming call or a closed one', async () => {
    const fixture = TestBed.createComponent(CallControls);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    for (const phase of ['pending', 'closed'] as const) {
      fixture.componentRef.setInput('phase', phase);
      const hangUp = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=hang-up-button]' }));
      expect(await hangUp.isDisabled()).toBe(true);
    }
  });
});
