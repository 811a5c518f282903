import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { MAX_INPUT_LENGTH, formatAsYouType, type CountryCode } from '@switchboard/shared-util-phone';
import { DtmfKeypad } from '../dtmf-keypad/dtmf-keypad';
import { type DialTarget, filterAgents, numberInPastedText, resolveDialTarget } from './dial-target';

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
    <!-- Enter in the field submits (implicit submission); the page must not navigate, so it is handled here. -->
    <form (submit)="$event.preventDefault(); dial()" class="dialer" aria-label="Dialer">
      <!-- The Call button sits beside the field: the suggestions open under the field and never cover it. -->
      <div class="entry">
      <!-- Dynamic subscript: a hint that wraps pushes what follows down instead of overlapping it. -->
      <mat-form-field appearance="outline" class="field" subscriptSizing="dynamic">
        <mat-label>Number or agent</mat-label>
        <input matInput [formControl]="field" [matAutocomplete]="directory" inputmode="tel" autocomplete="off" (paste)="paste($event)"
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
      <button matButton="filled" type="button" class="call" [disabled]="!canCall()" data-testid="call-button" (click)="dial()">
        <mat-icon>call</mat-icon> Call
      </button>
      </div>

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
      </div>

      @if (blockedReason(); as reason) {
        <p class="guidance" data-testid="dial-guidance" role="status">{{ reason }}</p>
      }
    </form>
  `,
  styles: `
    .dialer { display: flex; flex-direction: column; gap: 8px; }
    .entry { display: flex; align-items: flex-start; gap: 8px; }
    .field { flex: 1; min-width: 0; }
    /* 56 px outlined field, 40 px button: centred on the field's box, not on its hint. */
    .call { flex: none; margin-top: 8px; }
    .actions { display: flex; align-items: center; justify-content: center; gap: 12px; }
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
  /** The country a national number (`(415) 555-0100`) is read in; without it only `+…` numbers call. */
  readonly defaultCountry = input<CountryCode | undefined>(undefined);
  readonly dialed = output<DialTarget>();

  protected readonly maxLength = MAX_INPUT_LENGTH;
  protected readonly field = new FormControl('', { nonNullable: true });
  protected readonly text = toSignal(this.field.valueChanges, { initialValue: '' });
  protected readonly isKeypadOpen = signal(false);
  private readonly wasSubmitted = signal(false);

  protected readonly matchingAgents = computed(() => filterAgents(this.text(), this.agents()));
  private readonly resolved = computed(() => resolveDialTarget(this.text(), this.agents(), this.defaultCountry()));
  /** What Call (or Enter) would dial: what was typed, or the only agent the typing matches. */
  private readonly target = computed((): DialTarget | null => {
    const result = this.resolved();
    if (result.ok) return result.target;
    const agents = this.matchingAgents();
    return this.text().trim() !== '' && agents.length === 1
      ? { kind: 'agent', identity: agents[0].identity, displayName: agents[0].displayName }
      : null;
  });
  protected readonly canCall = computed(() => this.target() !== null && this.blockedReason() === null);

  protected readonly hint = computed(() => {
    const target = this.target();
    if (target) return target.kind === 'agent' ? `Agent: ${target.displayName}` : `Will call ${target.display}`;
    return 'A number, e.g. +1 415 555 0100, or an agent name';
  });

  /** Said once the agent has typed something that cannot be called (or tried to call it). */
  protected readonly problem = computed(() => {
    const result = this.resolved();
    if (result.ok || this.target() !== null) return null;
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
    this.field.valueChanges.subscribe((value) => {
      const formatted = formatAsYouType(value, this.defaultCountry());
      if (formatted !== value) this.field.setValue(formatted, { emitEvent: false });
    });
  }

  protected append(digit: string): void {
    this.field.setValue(this.field.value + digit);
  }

  protected clear(): void {
    this.field.setValue('');
    this.wasSubmitted.set(false);
  }

  /** A number copied from a CRM comes with labels and an extension: keep the number, as if typed. */
  protected paste(event: ClipboardEvent): void {
    const pasted = event.clipboardData?.getData('text/plain') ?? '';
    if (pasted === '') return;
    event.preventDefault();
    const input = event.target as HTMLInputElement;
    const value = this.field.value;
    const start = input.selectionStart ?? value.length;
    const end = input.selectionEnd ?? start;
    this.field.setValue(value.slice(0, start) + numberInPastedText(pasted) + value.slice(end));
  }

  protected dial(): void {
    this.wasSubmitted.set(true);
    const target = this.target();
    if (target === null || this.blockedReason() !== null) return;
    this.dialed.emit(target);
  }
}
