import { ChangeDetectionStrategy, Component, booleanAttribute, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

export interface KeypadKey {
  readonly digit: string;
  readonly letters: string;
  /** For test ids and screen readers: `*` and `#` have names. */
  readonly name: string;
}

export const KEYPAD_KEYS: readonly KeypadKey[] = [
  { digit: '1', letters: '', name: '1' },
  { digit: '2', letters: 'ABC', name: '2' },
  { digit: '3', letters: 'DEF', name: '3' },
  { digit: '4', letters: 'GHI', name: '4' },
  { digit: '5', letters: 'JKL', name: '5' },
  { digit: '6', letters: 'MNO', name: '6' },
  { digit: '7', letters: 'PQRS', name: '7' },
  { digit: '8', letters: 'TUV', name: '8' },
  { digit: '9', letters: 'WXYZ', name: '9' },
  { digit: '*', letters: '', name: 'star' },
  { digit: '0', letters: '+', name: '0' },
  { digit: '#', letters: '', name: 'hash' },
];

/** Twelve keys. Used by the dialer (to type a number) and in a call (to send DTMF tones). */
@Component({
  selector: 'sb-dtmf-keypad',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="grid" role="group" [attr.aria-label]="label()">
      @for (key of keys; track key.digit) {
        <button matButton="tonal" type="button" class="key" [disabled]="disabled()"
                [attr.data-testid]="'keypad-key-' + key.name" [attr.aria-label]="key.name === 'star' ? 'Star' : key.name === 'hash' ? 'Hash' : key.digit"
                (click)="pressed.emit(key.digit)">
          <span class="digit">{{ key.digit }}</span>
          <span class="letters" aria-hidden="true">{{ key.letters }}</span>
        </button>
      }
    </div>
  `,
  styles: `
    .grid { display: grid; grid-template-columns: repeat(3, minmax(64px, 1fr)); gap: 8px; max-width: 280px; margin: 0 auto; }
    .key { height: 52px; display: flex; flex-direction: column; line-height: 1.1; }
    .digit { font: var(--mat-sys-title-large); }
    .letters { display: block; font-size: 10px; letter-spacing: 1px; min-height: 12px; }
  `,
})
export class DtmfKeypad {
  readonly disabled = input(false, { transform: booleanAttribute });
  readonly label = input('Keypad');
  readonly pressed = output<string>();
  protected readonly keys = KEYPAD_KEYS;
}
