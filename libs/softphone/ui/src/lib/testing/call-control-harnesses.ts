import { ComponentHarness, TestKey } from '@angular/cdk/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatButtonToggleHarness } from '@angular/material/button-toggle/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatListOptionHarness } from '@angular/material/list/testing';

/** Call-control bar (`sb-call-control-bar`): hold/resume with the held timer, transfer, consult, complete/cancel/three-way. */
export class CallControlBarHarness extends ComponentHarness {
  static hostSelector = 'sb-call-control-bar';
  private readonly status = this.locatorFor('[data-testid=call-control-status]');
  private readonly heldTimer = this.locatorForOptional('[data-testid=held-timer]');
  private readonly transferStatus = this.locatorForOptional('[data-testid=transfer-status]');

  private button(name: string) {
    return this.locatorForOptional(MatButtonHarness.with({ selector: `[data-testid=${name}-button]` }))();
  }
  private async press(name: string): Promise<void> {
    const button = await this.button(name);
    if (!button) throw new Error(`The call-control bar offers no ${name} button now`);
    await button.click();
  }

  /** The phase in words, with the held time when on hold (`Caller on hold · 0:05`). */
  async getStatus(): Promise<string> {
    return (await (await this.status()).text()).replace(/\s+/g, ' ').trim();
  }
  /** What screen readers hear for the held timer (`On hold for 0:05`), or null when not held. */
  async getHeldTimerLabel(): Promise<string | null> {
    const timer = await this.heldTimer();
    return timer ? timer.getAttribute('aria-label') : null;
  }
  async getTransferStatus(): Promise<string | null> {
    const status = await this.transferStatus();
    return status ? status.text() : null;
  }
  /** The buttons offered now, by name (`hold`, `resume`, `transfer`, `consult`, `complete`, `three-way`, `cancel-transfer`), enabled or not. */
  async getOfferedActions(): Promise<{ readonly name: string; readonly enabled: boolean }[]> {
    const names = ['hold', 'resume', 'transfer', 'consult', 'complete', 'three-way', 'cancel-transfer'];
    const found = await Promise.all(names.map(async (name) => ({ name, button: await this.button(name) })));
    return Promise.all(
      found.filter((f) => f.button !== null).map(async (f) => ({ name: f.name, enabled: !(await (f.button as MatButtonHarness).isDisabled()) })),
    );
  }
  async getShortcut(name: 'hold' | 'resume' | 'transfer' | 'consult'): Promise<string | null> {
    const button = await this.button(name);
    return button ? (await button.host()).getAttribute('aria-keyshortcuts') : null;
  }
  hold = () => this.press('hold');
  resume = () => this.press('resume');
  transfer = () => this.press('transfer');
  consult = () => this.press('consult');
  complete = () => this.press('complete');
  threeWay = () => this.press('three-way');
  cancelTransfer = () => this.press('cancel-transfer');
}

/** One person in the participants list. */
export class ParticipantRowHarness extends ComponentHarness {
  static hostSelector = '[data-testid=participant]';
  private readonly name = this.locatorFor('[data-testid=participant-name]');
  private readonly role = this.locatorFor('[data-testid=participant-role]');
  private readonly states = this.locatorForAll('.state');

  async getName(): Promise<string> {
    return (await this.name()).text();
  }
  /** `Caller · +1 ••• ••• 0100`, `Agent · bob`. */
  async getRole(): Promise<string> {
    return (await (await this.role()).text()).replace(/\s+/g, ' ').trim();
  }
  /** The states in words (`On hold`, `Muted`); the icons beside them are not read. */
  async getStates(): Promise<string[]> {
    return Promise.all((await this.states()).map(async (state) => (await state.text({ exclude: 'mat-icon' })).trim()));
  }
}

/** Participants (`sb-participants-list`): one row per person, states in words. */
export class ParticipantsListHarness extends ComponentHarness {
  static hostSelector = 'sb-participants-list';
  private readonly rows = this.locatorForAll(ParticipantRowHarness);

  async getParticipants(): Promise<{ readonly name: string; readonly role: string; readonly states: readonly string[] }[]> {
    const rows = await this.rows();
    return Promise.all(rows.map(async (row) => ({ name: await row.getName(), role: await row.getRole(), states: await row.getStates() })));
  }
}

/** The rejoin banner (`sb-rejoin-banner`): who waits, the countdown, the button. */
export class RejoinBannerHarness extends ComponentHarness {
  static hostSelector = 'sb-rejoin-banner';
  private readonly customer = this.locatorFor('[data-testid=rejoin-customer]');
  private readonly countdown = this.locatorFor('[data-testid=rejoin-countdown]');
  private readonly button = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=rejoin-button]' }));

  async getCustomer(): Promise<string> {
    return (await this.customer()).text();
  }
  async getCountdown(): Promise<string> {
    return (await (await this.countdown()).text()).replace(/\s+/g, ' ').trim();
  }
  async canRejoin(): Promise<boolean> {
    return !(await (await this.button()).isDisabled());
  }
  async getButtonText(): Promise<string> {
    return (await (await (await this.button()).host()).text({ exclude: 'mat-icon' })).trim();
  }
  async rejoin(): Promise<void> {
    await (await this.button()).click();
  }
}

/** The transfer dialog (`sb-transfer-dialog`); load it with `documentRootLoader`, as dialogs live in the overlay. */
export class TransferDialogHarness extends ComponentHarness {
  static hostSelector = 'sb-transfer-dialog';
  private readonly title = this.locatorFor('[data-testid=transfer-title]');
  private readonly input = this.locatorFor(MatInputHarness.with({ selector: '[data-testid=transfer-input]' }));
  private readonly hint = this.locatorFor('[data-testid=transfer-hint]');
  private readonly error = this.locatorForOptional('[data-testid=transfer-error]');
  private readonly options = this.locatorForAll(MatListOptionHarness);
  private readonly submitButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=transfer-submit]' }));
  private readonly cancelButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=transfer-cancel]' }));

  async getTitle(): Promise<string> {
    return (await this.title()).text();
  }
  async getMode(): Promise<'cold' | 'consult'> {
    const cold = await this.locatorFor(MatButtonToggleHarness.with({ selector: '[data-testid=mode-cold]' }))();
    return (await cold.isChecked()) ? 'cold' : 'consult';
  }
  async setMode(mode: 'cold' | 'consult'): Promise<void> {
    await (await this.locatorFor(MatButtonToggleHarness.with({ selector: `[data-testid=mode-${mode}]` }))()).check();
  }
  /** Types key by key into an empty field, as the agent would. */
  async typeTarget(text: string): Promise<void> {
    const input = await this.input();
    await input.setValue('');
    await (await input.host()).sendKeys(text);
  }
  /** Presses Enter in the field (submits when there is a target). */
  async pressEnter(): Promise<void> {
    await (await (await this.input()).host()).sendKeys(TestKey.ENTER);
  }
  async isInputFocused(): Promise<boolean> {
    return (await this.input()).isFocused();
  }
  /** Targets the list offers now (names). */
  async getOptionNames(): Promise<string[]> {
    return Promise.all((await this.options()).map((o) => o.getTitle()));
  }
  async chooseOption(name: string): Promise<void> {
    const options = await this.options();
    for (const option of options) {
      if ((await option.getTitle()) === name) return option.select();
    }
    throw new Error(`No transfer target named ${name}`);
  }
  async getHint(): Promise<string> {
    return (await this.hint()).text();
  }
  async getError(): Promise<string | null> {
    const error = await this.error();
    return error ? error.text() : null;
  }
  async canSubmit(): Promise<boolean> {
    return !(await (await this.submitButton()).isDisabled());
  }
  async getSubmitText(): Promise<string> {
    return (await this.submitButton()).getText();
  }
  async submit(): Promise<void> {
    await (await this.submitButton()).click();
  }
  async cancel(): Promise<void> {
    await (await this.cancelButton()).click();
  }
}
