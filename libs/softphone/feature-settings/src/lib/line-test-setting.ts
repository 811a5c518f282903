import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { LineTestService } from '@switchboard/softphone-data-access-quality';
import { LineTestView, injectLineTestRun } from '@switchboard/softphone-ui';

/**
 * "Test my line": the SDK's preflight test with the phone's own settings. Progress while it runs (a
 * determinate bar and words, each phase announced), then the verdict with what to do, the figures and
 * when the last test ran.
 */
@Component({
  selector: 'sb-line-test-setting',
  imports: [MatButtonModule, MatIconModule, LineTestView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="stack" data-testid="line-test-section">
      <p class="fact">A short test call (about 15 seconds) measures your network with the same edge, codecs and settings as your calls.</p>
      <div class="row">
        <button matButton="filled" type="button" (click)="runner.run()" [disabled]="running()" data-testid="line-test-run">
          <mat-icon>network_check</mat-icon> {{ running() ? 'Testing…' : 'Test my line' }}
        </button>
      </div>
      <sb-line-test-view [progress]="runner.progress()" [lastTest]="runner.progress()?.result ?? lineTests.lastTest()" />
    </div>
  `,
  styles: `
    .stack { display: flex; flex-direction: column; gap: 8px; padding-top: 8px; }
    .row { display: flex; gap: 8px; flex-wrap: wrap; }
    .fact { margin: 0; }
  `,
})
export class LineTestSetting {
  protected readonly lineTests = inject(LineTestService);
  protected readonly runner = injectLineTestRun(() => this.lineTests.run());
  /** A test already running (from the panel's offer, or this button) is not started twice. */
  protected readonly running = computed(() => {
    const phase = this.runner.progress()?.phase;
    return this.lineTests.running() || phase === 'starting' || phase === 'connecting' || phase === 'measuring';
  });
}
