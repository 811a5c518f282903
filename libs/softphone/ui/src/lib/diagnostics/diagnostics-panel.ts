import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** Diagnostics as plain text the agent can read and copy to support in one click. */
@Component({
  selector: 'sb-diagnostics-panel',
  imports: [CdkCopyToClipboard, MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <pre class="report" data-testid="diagnostics-text" tabindex="0" role="region" aria-label="Diagnostics">{{ report() }}</pre>
    <button matButton="tonal" type="button" [cdkCopyToClipboard]="report()" (cdkCopyToClipboardCopied)="copied.emit($event)"
            data-testid="copy-diagnostics">
      <mat-icon>content_copy</mat-icon> Copy diagnostics
    </button>
  `,
  styles: `
    :host { display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
    .report { width: 100%; box-sizing: border-box; margin: 0; padding: 12px; border-radius: 8px; overflow: auto; max-height: 240px;
      background: var(--mat-sys-surface-container); color: var(--mat-sys-on-surface); font-size: 12px; white-space: pre-wrap; }
  `,
})
export class DiagnosticsPanel {
  readonly report = input.required<string>();
  /** Whether the browser let us copy. */
  readonly copied = output<boolean>();
}
