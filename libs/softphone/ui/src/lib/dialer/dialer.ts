import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { MAX_INPUT_LENGTH, formatAsYouType } from '@switchboard/shared-util-phone';
import { DtmfKeypad } from '../dtmf-keypad/dtmf-keypad';
import { type DialTarget, filterAgents, resolveDialTarget } from './dial-target';

/**
 * Number or agent, formatted as typed, validated as E.164 before the call button lights up.
 * When calling is impossible (microphone denied, phone offline) the button stays off and
 * `blockedReason` says why, right under it.
 */
@Component({
  selector: 'sb-dialer',
  imports: [ReactiveFormsModule, MatAutocompleteModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, DtmfKeypad],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <!-- Enter in the field submits (implicit submission); the Call button is a plain button. -->
    <form (ngSubmit)="dial()" class="dialer" aria-label="Dialer">
      <mat-form-field appearance="outline" class="field">
        <mat-label>Number or agent</mat-label>
        <input matInput [formControl]="target" [matAutocomplete]="directory" inputmode="tel" autocomplete="off"
               [attr.maxlength]="maxLength" spellcheck="false" data-testid="dial-input" aria-describedby="sb-dial-hint" />
        @if (text()) {
          <button matIconButton matSuffix type="button" aria-label="Clear" (click)="clear()"><mat-icon>backspace</mat-icon></button>
        }
        <mat-autocomplete #directory="matAutocomplete" data-testid="agent-directory">
          @for (agent of matchingAgents(); track agent.identity) {
            <mat-option [value]="agent.identity" [attr.data-testid]="'agent-option-' + agent.identity">
              <mat-icon aria-hidden="true">support_agent</mat-icon> {{ agent.displayName }} <small>({{ agent.identity }})</small>
            </mat-option>
          }
        </mat-autocomplete>
        <mat-hint id="sb-dial-hint">{{ hint() }}</mat-hint>
      </mat-form-field>

      @if (problem(); as message) {
        <p class="invalid" data-testid="dial-error" role="status">{{ message }}</p>
      }

      @if (isKeypadOpen()) {
        <sb-dtmf-keypad label="Dial pad" (pressed)="append($event)" />
      }

      <div class="actions">
        <button matIconButton type="button" (click)="isKeypadOpen.set(!isKeypadOpen())"
                [attr.aria-label]="isKeypadOpen() ? 'Hide dial pad' : 'Show dial pad'" [attr.aria-expanded]="isKeypadOpen()"
                data-testid="dial-pad-toggle">
          <mat-icon>dialpad</mat-icon>
        </button>
        <button matButton="filled" type="button" class="call" [disabled]="!canCall()" data-testid="call-button" (click)="dial()">
          <mat-icon>call</mat-icon> Call
        </button>
      </div>

      @if (blockedReason(); as reason) {
        <p class="guidance" data-testid="dial-guidance" role="status">{{ reason }}</p>
      }
    </form>
  `,
  styles: `
    .dialer { display: flex; flex-direction: column; gap: 8px; }
    .field { width: 100%; }
    .actions { display: flex; align-items: center; justify-content: center; gap: 12px; }
    .call { min-width: 140px; }
    .invalid { margin: 0; color: var(--mat-sys-error); font: var(--mat-sys-body-small); }
    .guidance { margin: 0; padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container); font: var(--mat-sys-body-medium); }
    small { color: var(--mat-sys-on-surface-variant); }
  `,
})
export class Dialer {
  readonly agents = input<readonly AgentDirectoryEntry[]>([]);
  /** Why calling is impossible right now (null: it is possible). */
  readonly blockedReason = input<string | null>(null);
  readonly dialed = output<DialTarget>();

  protected readonly maxLength = MAX_INPUT_LENGTH;
  protected readonly target = new FormControl('', { nonNullable: true });
  protected readonly text = toSignal(this.target.valueChanges, { initialValue: '' });
  protected readonly isKeypadOpen = signal(false);
  private readonly wasSubmitted = signal(false);

  protected readonly matchingAgents = computed(() => filterAgents(this.text(), this.agents()));
  private readonly resolved = computed(() => resolveDialTarget(this.text(), this.agents()));
  protected readonly canCall = computed(() => this.resolved().ok && this.blockedReason() === null);

  protected readonly hint = computed(() => {
    const result = this.resolved();
    if (result.ok) return result.target.kind === 'agent' ? `Agent: ${result.target.displayName}` : `Will call ${result.target.e164}`;
    return 'International format, e.g. +1 415 555 0100, or an agent name';
  });

  /** Said once the agent has typed something that cannot be called (or tried to call it). */
  protected readonly problem = computed(() => {
    const result = this.resolved();
    if (result.ok) return null;
    const text = this.text().trim();
    const looksFinished = this.wasSubmitted() || text.replace(/\D/g, '').length >= 8;
    if (result.reason === 'empty') return this.wasSubmitted() ? 'Enter a number or pick an agent.' : null;
    if (result.reason === 'too-long') return 'That is too long for a phone number.';
    if (!looksFinished && this.matchingAgents().length > 0) return null;
    return looksFinished || !/^[+0-9 ()-]*$/.test(text)
      ? 'Not a callable number. Use the international format with the country code, e.g. +44 20 7946 0000, or pick an agent.'
      : null;
  });

  constructor() {
    this.target.valueChanges.subscribe((value) => {
      const formatted = formatAsYouType(value);
      if (formatted !== value) this.target.setValue(formatted, { emitEvent: false });
    });
  }

  protected append(digit: string): void {
    this.target.setValue(this.target.value + digit);
  }

  protected clear(): void {
    this.target.setValue('');
    this.wasSubmitted.set(false);
  }

  protected dial(): void {
    this.wasSubmitted.set(true);
    const result = this.resolved();
    if (!result.ok || this.blockedReason() !== null) return;
    this.dialed.emit(result.target);
  }
}
