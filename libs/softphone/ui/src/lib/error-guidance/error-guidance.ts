import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** Every error is shown the same way: what happened, then what to do, then the code for support. */
@Component({
  selector: 'sb-error-guidance',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="box" role="alert" data-testid="error-guidance" [attr.data-code]="error().code">
      <mat-icon aria-hidden="true">{{ error().category === 'microphone' ? 'mic_off' : 'error' }}</mat-icon>
      <div>
        <p class="message" data-testid="error-message">{{ error().message }}</p>
        <p class="next" data-testid="error-next-step">{{ error().nextStep }}</p>
        @if (error().code !== null) { <p class="code">Error {{ error().code }} ({{ error().name }})</p> }
      </div>
    </div>
  `,
  styles: `
    .box { display: flex; gap: 8px; padding: 12px; border-radius: 12px;
      background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    p { margin: 0 0 4px; }
    .message { font: var(--mat-sys-title-small); }
    .code { font: var(--mat-sys-body-small); }
  `,
})
export class ErrorGuidance {
  readonly error = input.required<VoiceErrorInfo>();
}
