import { Clipboard } from '@angular/cdk/clipboard';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { DiagnosticsPanel } from './diagnostics-panel';

describe('DiagnosticsPanel', () => {
  it('copies exactly the report shown', async () => {
    const copy = jest.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
    const fixture = TestBed.createComponent(DiagnosticsPanel);
    fixture.componentRef.setInput('report', 'SDK 2.18.5\nCall SID CA123');
    const copied: boolean[] = [];
    fixture.componentInstance.copied.subscribe((ok) => copied.push(ok));
    await (await TestbedHarnessEnvironment.loader(fixture).getHarness(MatButtonHarness.with({ text: /Copy diagnostics/ }))).click();
    expect(copy).toHaveBeenCalledWith('SDK 2.18.5\nCall SID CA123');
    expect(copied).toEqual([true]);
  });
});
