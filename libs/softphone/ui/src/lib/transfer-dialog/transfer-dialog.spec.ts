import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatDialog } from '@angular/material/dialog';
import { TransferDialogHarness } from '../testing/call-control-harnesses';
import { openTransferDialog, type TransferChoice, type TransferDialogData } from './transfer-dialog';

describe('TransferDialog', () => {
  const data: TransferDialogData = {
    mode: 'cold',
    agents: [
      { identity: 'alice', displayName: 'Alice Adams' },
      { identity: 'bob', displayName: 'Bob Brown' },
      { identity: 'carol', displayName: 'Carol Chen' },
    ],
    ringGroups: [{ id: 'support', name: 'Support line' }],
    selfIdentity: 'alice',
    defaultCountry: 'US',
  };

  beforeEach(() => {
    // Without animations the dialog opens and closes at once (no animationend in jsdom).
    TestBed.configureTestingModule({ providers: [{ provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }] });
  });

  async function open(patch: Partial<TransferDialogData> = {}) {
    const results: (TransferChoice | undefined)[] = [];
    let closed = false;
    const fixture = TestBed.createComponent(HostShim);
    openTransferDialog(TestBed.inject(MatDialog), { ...data, ...patch }).subscribe((choice) => {
      results.push(choice);
      closed = true;
    });
    fixture.detectChanges();
    await fixture.whenStable();
    const dialog = await TestbedHarnessEnvironment.documentRootLoader(fixture).getHarness(TransferDialogHarness);
    return { dialog, results, closed: () => closed };
  }

  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('lists agents (not the agent themself) and ring groups, and sends to the one picked', async () => {
    const { dialog, results } = await open();
    expect(await dialog.getTitle()).toBe('Transfer the call');
    expect(await dialog.getOptionNames()).toEqual(['Bob Brown', 'Carol Chen', 'Support line']);
    expect(await dialog.canSubmit()).toBe(false);
    await dialog.chooseOption('Support line');
    expect(await dialog.getHint()).toBe('Selected: Support line');
    await dialog.submit();
    expect(results).toEqual([{ target: { kind: 'ring-group', id: 'support' }, mode: 'cold', targetDisplay: 'Support line' }]);
  });

  it('filters as the agent types, and Enter sends to the only match; the mode can be switched to consult', async () => {
    const { dialog, results } = await open();
    await dialog.setMode('consult');
    expect(await dialog.getSubmitText()).toBe('Consult');
    await dialog.typeTarget('car');
    expect(await dialog.getOptionNames()).toEqual(['Carol Chen']);
    await dialog.pressEnter();
    expect(results).toEqual([{ target: { kind: 'agent', identity: 'carol' }, mode: 'consult', targetDisplay: 'Carol Chen' }]);
  });

  it('takes a number by the dialer\'s rule: a national number in the home country becomes E.164', async () => {
    const { dialog, results } = await open();
    await dialog.typeTarget('(415) 555-0111');
    expect(await dialog.getError()).toBeNull();
    expect(await dialog.getHint()).toBe('Will call +1 415 555 0111');
    await dialog.pressEnter();
    expect(results).toEqual([{ target: { kind: 'number', number: '+14155550111' }, mode: 'cold', targetDisplay: '+1 415 555 0111' }]);
  });

  it('refuses what the dialer refuses, in the dialer\'s words, and stays open', async () => {
    const { dialog, closed } = await open();
    await dialog.typeTarget('+1 555 12');
    await dialog.pressEnter();
    expect(await dialog.canSubmit()).toBe(false);
    expect(await dialog.getError()).toBe(
      'Not a callable number. Use the international format with the country code, e.g. +44 20 7946 0000, or pick an agent.',
    );
    expect(closed()).toBe(false);
  });

  it('focuses the field first for keyboard use, and Cancel closes with nothing', async () => {
    const { dialog, results, closed } = await open();
    expect(await dialog.isInputFocused()).toBe(true);
    await dialog.cancel();
    expect(closed()).toBe(true);
    expect(results).toEqual([undefined]);
  });
});

import { Component } from '@angular/core';

/** A component to give the harness environment a fixture; the dialog itself lives in the overlay. */
@Component({ selector: 'sb-host-shim', template: '' })
class HostShim {}
