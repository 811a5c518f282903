import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import type { ConsultAction } from '@switchboard/shared-contracts';
import type { CallControlPhase } from '@switchboard/shared-voice-model';
import { CallControlBarHarness } from '../testing/call-control-harnesses';
import { CallControlBar } from './call-control-bar';

describe('CallControlBar', () => {
  async function setup(phase: CallControlPhase, patch: { heldSince?: number; transferStatus?: string; pending?: boolean } = {}) {
    const fixture = TestBed.createComponent(CallControlBar);
    fixture.componentRef.setInput('phase', phase);
    for (const [key, value] of Object.entries(patch)) fixture.componentRef.setInput(key, value);
    const events: string[] = [];
    fixture.componentInstance.holdToggled.subscribe((hold: boolean) => events.push(hold ? 'hold' : 'resume'));
    fixture.componentInstance.transferRequested.subscribe(() => events.push('transfer'));
    fixture.componentInstance.consultRequested.subscribe(() => events.push('consult'));
    fixture.componentInstance.consultAction.subscribe((action: ConsultAction) => events.push(action));
    return { fixture, events, bar: await TestbedHarnessEnvironment.harnessForFixture(fixture, CallControlBarHarness) };
  }

  it('offers hold, transfer and consult with the caller, with their shortcuts', async () => {
    const { bar, events } = await setup('idle-in-call');
    expect(await bar.getOfferedActions()).toEqual([
      { name: 'hold', enabled: true },
      { name: 'transfer', enabled: true },
      { name: 'consult', enabled: true },
    ]);
    expect(await bar.getShortcut('hold')).toBe('Alt+O');
    expect(await bar.getShortcut('transfer')).toBe('Alt+T');
    expect(await bar.getShortcut('consult')).toBe('Alt+K');
    await bar.hold();
    await bar.transfer();
    await bar.consult();
    expect(events).toEqual(['hold', 'transfer', 'consult']);
  });

  it('on hold: Resume and the held timer (named for screen readers), transfer still possible', async () => {
    const { bar, events } = await setup('held', { heldSince: Date.now() - 65_000 });
    expect(await bar.getStatus()).toMatch(/^Caller on hold · 1:0[5-6]$/);
    expect(await bar.getHeldTimerLabel()).toMatch(/^On hold for 1:0[5-6]$/);
    expect((await bar.getOfferedActions()).map((a) => a.name)).toEqual(['resume', 'transfer', 'consult']);
    await bar.resume();
    expect(events).toEqual(['resume']);
  });

  it('while the hold request is in flight, the button waits', async () => {
    const { bar } = await setup('holding', { pending: true });
    expect(await bar.getOfferedActions()).toEqual([{ name: 'hold', enabled: false }]);
  });

  it('during a consult: complete, three-way and cancel, and the transfer status in words', async () => {
    const { bar, events } = await setup('consulting', { transferStatus: 'Consult with Bob Brown: Answered', heldSince: Date.now() });
    expect(await bar.getTransferStatus()).toBe('Consult with Bob Brown: Answered');
    expect((await bar.getOfferedActions()).map((a) => a.name)).toEqual(['complete', 'three-way', 'cancel-transfer']);
    await bar.complete();
    await bar.threeWay();
    await bar.cancelTransfer();
    expect(events).toEqual(['complete', 'three-way', 'cancel']);
  });

  it('while the target rings only cancel is offered; in a three-way nothing', async () => {
    expect((await (await setup('transfer-ringing')).bar.getOfferedActions()).map((a) => a.name)).toEqual(['cancel-transfer']);
    expect(await (await setup('three-way')).bar.getOfferedActions()).toEqual([]);
  });
});
