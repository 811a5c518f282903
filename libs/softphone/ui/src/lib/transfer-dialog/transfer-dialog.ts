import { ChangeDetectionStrategy, Component, type ElementRef, afterNextRender, computed, inject, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatListModule, type MatSelectionListChange } from '@angular/material/list';
import type { AgentDirectoryEntry, RingGroupEntry, TransferMode, TransferTarget } from '@switchboard/shared-contracts';
import { MAX_INPUT_LENGTH, type CountryCode } from '@switchboard/shared-util-phone';
import type { Observable } from 'rxjs';
import { resolveDialTarget } from '../dialer/dial-target';

export interface TransferDialogData {
  readonly mode: TransferMode;
  readonly agents: readonly AgentDirectoryEntry[];
  readonly ringGroups: readonly RingGroupEntry[];
  /** The agent themself: never offered as a target. */
  readonly selfIdentity?: string;
  /** As in the dialer: the country a national number is read in. */
  readonly defaultCountry?: CountryCode;
}

/** What the agent chose; `targetDisplay` is the target in words for the status line. */
export interface TransferChoice {
  readonly target: TransferTarget;
  readonly mode: TransferMode;
  readonly targetDisplay: string;
}

interface TargetOption {
  readonly key: string;
  readonly target: TransferTarget;
  readonly label: string;
  readonly detail: string;
  readonly icon: string;
}

/**
 * Where to send the caller: an agent or ring group from the directory, or a phone number checked by
 * exactly the dialer's rule (`resolveDialTarget`). Cold transfer or consult first. Arrow keys move in
 * the list, Enter in the field sends to the only match or the number.
 */
@Component({
  selector: 'sb-transfer-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatButtonToggleModule, MatDialogModule, MatFormFieldModule, MatIconModule, MatInputModule, MatListModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title data-testid="transfer-title">{{ mode() === 'cold' ? 'Transfer the call' : 'Consult before transferring' }}</h2>
    <mat-dialog-content>
      <form class="form" (submit)="$event.preventDefault(); submit()" aria-label="Transfer target">
        <mat-button-toggle-group [value]="mode()" (change)="mode.set($event.value)" aria-label="How to transfer" data-testid="transfer-mode">
          <mat-button-toggle value="cold" data-testid="mode-cold">Transfer now</mat-button-toggle>
          <mat-button-toggle value="consult" data-testid="mode-consult">Consult first</mat-button-toggle>
        </mat-button-toggle-group>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Agent, ring group or number</mat-label>
          <input matInput [formControl]="field" #targetInput data-testid="transfer-input" (keydown.enter)="$event.preventDefault(); submit()" autocomplete="off" spellcheck="false"
                 [attr.maxlength]="maxLength" aria-describedby="sb-transfer-hint" />
          <mat-hint id="sb-transfer-hint" data-testid="transfer-hint">{{ hint() }}</mat-hint>
        </mat-form-field>
        @if (problem(); as message) {
          <p class="invalid" role="status" data-testid="transfer-error">{{ message }}</p>
        }
        @if (options().length > 0) {
          <mat-selection-list [multiple]="false" (selectionChange)="pick($event)" aria-label="Directory" data-testid="transfer-options">
            @for (option of options(); track option.key) {
              <mat-list-option [value]="option.key" [selected]="option.key === pickedKey()" [attr.data-testid]="'transfer-option-' + option.key">
                <mat-icon matListItemIcon aria-hidden="true">{{ option.icon }}</mat-icon>
                <span matListItemTitle>{{ option.label }}</span>
                <span matListItemLine>{{ option.detail }}</span>
              </mat-list-option>
            }
          </mat-selection-list>
        }
      </form>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" (click)="cancel()" data-testid="transfer-cancel">Cancel</button>
      <button matButton="filled" type="button" data-testid="transfer-submit" [disabled]="choice() === null" (click)="submit()">
        {{ mode() === 'cold' ? 'Transfer' : 'Consult' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .form { display: flex; flex-direction: column; gap: 12px; min-width: min(360px, 80vw); padding-top: 4px; }
    .invalid { margin: 0; color: var(--mat-sys-error); font: var(--mat-sys-body-small); }
  `,
})
export class TransferDialog {
  private readonly data = inject<TransferDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<TransferDialog, TransferChoice>>(MatDialogRef);

  protected readonly maxLength = MAX_INPUT_LENGTH;
  protected readonly mode = signal<TransferMode>(this.data.mode);
  protected readonly field = new FormControl('', { nonNullable: true });
  private readonly text = toSignal(this.field.valueChanges, { initialValue: '' });
  protected readonly pickedKey = signal<string | null>(null);
  private readonly wasSubmitted = signal(false);
  private readonly targetInput = viewChild.required<ElementRef<HTMLInputElement>>('targetInput');

  private readonly allOptions: readonly TargetOption[] = [
    ...this.data.agents
      .filter((agent) => agent.identity !== this.data.selfIdentity)
      .map((agent): TargetOption => ({
        key: `agent-${agent.identity}`,
        target: { kind: 'agent', identity: agent.identity },
        label: agent.displayName,
        detail: `Agent · ${agent.identity}`,
        icon: 'support_agent',
      })),
    ...this.data.ringGroups.map((group): TargetOption => ({
      key: `group-${group.id}`,
      target: { kind: 'ring-group', id: group.id },
      label: group.name,
      detail: 'Ring group',
      icon: 'groups',
    })),
  ];

  protected readonly options = computed(() => {
    const needle = this.text().trim().toLowerCase();
    if (needle === '') return this.allOptions;
    if (/^[+0-9(]/.test(needle)) return [];
    return this.allOptions.filter((o) => o.label.toLowerCase().includes(needle) || o.detail.toLowerCase().includes(needle));
  });

  /** The dialer's own reading of the text as a number (no agents given, so only numbers resolve). */
  private readonly number = computed(() => resolveDialTarget(this.text(), [], this.data.defaultCountry));

  private readonly picked = computed((): TargetOption | null => {
    const options = this.options();
    const key = this.pickedKey();
    return options.find((o) => o.key === key) ?? (this.text().trim() !== '' && options.length === 1 ? options[0] : null);
  });

  protected readonly choice = computed((): TransferChoice | null => {
    const number = this.number();
    if (number.ok && number.target.kind === 'number') {
      return { target: { kind: 'number', number: number.target.e164 }, mode: this.mode(), targetDisplay: number.target.display };
    }
    const option = this.picked();
    return option ? { target: option.target, mode: this.mode(), targetDisplay: option.label } : null;
  });

  protected readonly hint = computed(() => {
    const choice = this.choice();
    if (!choice) return 'Pick from the list, or type a number, e.g. +1 415 555 0100';
    return choice.target.kind === 'number' ? `Will call ${choice.targetDisplay}` : `Selected: ${choice.targetDisplay}`;
  });

  /** The dialer's wording, once the text looks like a finished number that is not callable. */
  protected readonly problem = computed(() => {
    const result = this.number();
    if (result.ok || this.choice() !== null) return null;
    const text = this.text().trim();
    if (result.reason === 'empty') return this.wasSubmitted() ? 'Pick an agent or ring group, or type a number.' : null;
    if (result.reason === 'too-long') return 'That is too long for a phone number.';
    const looksFinished = this.wasSubmitted() || text.replace(/\D/g, '').length >= 8;
    if (!looksFinished && this.options().length > 0) return null;
    return looksFinished || !/^[+0-9 ()-]*$/.test(text)
      ? 'Not a callable number. Use the international format with the country code, e.g. +44 20 7946 0000, or pick an agent.'
      : null;
  });

  constructor() {
    // The field first, so the agent can type at once (the dialog's own autofocus is off: it would pick the mode toggle).
    afterNextRender(() => this.targetInput().nativeElement.focus());
  }

  protected pick(change: MatSelectionListChange): void {
    this.pickedKey.set((change.options[0]?.value as string | undefined) ?? null);
  }

  /** Closes with no choice, as Escape and the backdrop do. */
  protected cancel(): void {
    this.ref.close();
  }

  protected submit(): void {
    this.wasSubmitted.set(true);
    const choice = this.choice();
    if (choice) this.ref.close(choice);
  }
}

/** Opens the dialog; emits the choice, or undefined when the agent cancelled (Escape, Cancel, backdrop). */
export function openTransferDialog(dialog: MatDialog, data: TransferDialogData): Observable<TransferChoice | undefined> {
  return dialog
    .open<TransferDialog, TransferDialogData, TransferChoice>(TransferDialog, { data, autoFocus: false, restoreFocus: true, width: '440px' })
    .afterClosed();
}
