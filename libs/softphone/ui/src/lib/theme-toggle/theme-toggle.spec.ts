import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { type ThemePreference, ThemeToggle } from './theme-toggle';

describe('ThemeToggle', () => {
  it('cycles system → light → dark → system', async () => {
    const fixture = TestBed.createComponent(ThemeToggle);
    const seen: ThemePreference[] = [];
    fixture.componentInstance.changed.subscribe((p) => seen.push(p));
    const button = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatButtonHarness);
    for (const preference of ['system', 'light', 'dark'] as const) {
      fixture.componentRef.setInput('preference', preference);
      await button.click();
    }
    expect(seen).toEqual(['light', 'dark', 'system']);
  });
});
