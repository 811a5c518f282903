import { ComponentHarness, HarnessPredicate, type BaseHarnessFilters } from '@angular/cdk/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatTooltipHarness } from '@angular/material/tooltip/testing';
import type { ConnectionBadgeTone } from '../connection-badge/connection-badge';

/** Status chip (`sb-connection-badge`): what the agent reads about the phone's connection. */
export class ConnectionBadgeHarness extends ComponentHarness {
  static hostSelector = 'sb-connection-badge';
  private readonly chip = this.locatorFor('[data-testid=status-chip]');
  private readonly label = this.locatorFor('[data-testid=status-label]');
  private readonly countdown = this.locatorForOptional('[data-testid=status-countdown]');
  private readonly tooltip = this.locatorFor(MatTooltipHarness.with({ selector: '[data-testid=status-chip]' }));

  static with(options: BaseHarnessFilters & { label?: string | RegExp } = {}): HarnessPredicate<ConnectionBadgeHarness> {
    return new HarnessPredicate(ConnectionBadgeHarness, options).addOption('label', options.label, (h, label) =>
      HarnessPredicate.stringMatches(h.getLabel(), label),
    );
  }

  /** The state in words (`Online`, `Offline · retrying`, …), without the countdown. */
  async getLabel(): Promise<string> {
    return (await this.label()).text();
  }
  /** When the next retry comes (`in 5 s`, `now…`), or null when none is shown. */
  async getCountdown(): Promise<string | null> {
    const countdown = await this.countdown();
    return countdown ? countdown.text() : null;
  }
  /** The connection phase the chip shows (`registered`, `unregistered`, `error`, …). */
  async getPhase(): Promise<string | null> {
    return (await this.chip()).getAttribute('data-state');
  }
  async getTone(): Promise<ConnectionBadgeTone | null> {
    const tone = /\btone-(\w+)/.exec((await (await this.chip()).getAttribute('class')) ?? '')?.[1];
    return (tone as ConnectionBadgeTone | undefined) ?? null;
  }
  /** What screen readers hear: the state and what to do. */
  async getAccessibleText(): Promise<string | null> {
    return (await this.chip()).getAttribute('aria-label');
  }
  /** The tooltip, shown by hovering the chip and hidden again. */
  async getTooltipText(): Promise<string> {
    const tooltip = await this.tooltip();
    await tooltip.show();
    const text = await tooltip.getTooltipText();
    await tooltip.hide();
    return text;
  }
}

/** Dialer (`sb-dialer`): number field, call button, guidance, dial pad toggle. */
export class DialerHarness extends ComponentHarness {
  static hostSelector = 'sb-dialer';
  private readonly input = this.locatorFor(MatInputHarness.with({ selector: '[data-testid=dial-input]' }));
  private readonly callButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=call-button]' }));
  private readonly padToggle = this.locatorForOptional('[data-testid=dial-pad-toggle]');
  private readonly error = this.locatorForOptional('[data-testid=dial-error]');
  private readonly guidance = this.locatorForOptional('[data-testid=dial-guidance]');

  async getNumber(): Promise<string> {
    return (await this.input()).getValue();
  }
  /**
   * Types key by key into an empty field, as the agent would, so formatting as you type applies to
   * every keystroke (MatInputHarness.setValue writes the final value over what the formatter made).
   */
  async typeNumber(text: string): Promise<void> {
    const input = await this.input();
    await input.setValue('');
    await (await input.host()).sendKeys(text);
  }
  /** Empties the field. */
  async clearNumber(): Promise<void> {
    await (await this.input()).setValue('');
  }
  /** Whether the dial pad is showing. */
  async isDialPadOpen(): Promise<boolean> {
    const toggle = await this.padToggle();
    return (await toggle?.getAttribute('aria-expanded')) === 'true';
  }
  async isCallEnabled(): Promise<boolean> {
    return !(await (await this.callButton()).isDisabled());
  }
  async call(): Promise<void> {
    await (await this.callButton()).click();
  }
  /** Why the number is not valid yet, or null. */
  async getError(): Promise<string | null> {
    const error = await this.error();
    return error ? error.text() : null;
  }
  /** Why calling is disabled (microphone denied, offline…), or null. */
  async getGuidance(): Promise<string | null> {
    const guidance = await this.guidance();
    return guidance ? guidance.text() : null;
  }
  async toggleDialPad(): Promise<void> {
    const toggle = await this.padToggle();
    if (!toggle) throw new Error('The dialer has no dial pad toggle');
    await toggle.click();
  }
  /** Presses a key of the dial pad (`0`–`9`, `*`, `#`); the pad must be open. */
  async pressKey(digit: string): Promise<void> {
    const name = digit === '*' ? 'star' : digit === '#' ? 'hash' : digit;
    const key = await this.locatorFor(`[data-testid=keypad-key-${name}]`)();
    await key.click();
  }
}

export interface IncomingCallCardFilters extends BaseHarnessFilters {
  caller?: string | RegExp;
}

/** Incoming call card (`sb-incoming-call-card`): who is calling, and answer / decline / ignore. */
export class IncomingCallCardHarness extends ComponentHarness {
  static hostSelector = 'sb-incoming-call-card';
  private readonly card = this.locatorFor('[data-testid=incoming-card]');
  private readonly title = this.locatorFor('mat-card-title, .mat-mdc-card-title');
  private readonly callerText = this.locatorFor('[data-testid=incoming-caller]');
  private readonly parameterRows = this.locatorForAll('[data-testid=incoming-parameters] div');
  private readonly acceptButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=accept-button]' }));
  private readonly declineButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=decline-button]' }));
  private readonly ignoreButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=ignore-button]' }));

  static with(options: IncomingCallCardFilters = {}): HarnessPredicate<IncomingCallCardHarness> {
    return new HarnessPredicate(IncomingCallCardHarness, options).addOption('caller', options.caller, (h, caller) =>
      HarnessPredicate.stringMatches(h.getCaller(), caller),
    );
  }

  async getHeading(): Promise<string> {
    return (await this.title()).text();
  }
  /** The caller as shown: a known name with the raw address in brackets, or the address. */
  async getCaller(): Promise<string> {
    return (await this.callerText()).text();
  }
  /** Custom parameters the caller sent, as shown. */
  async getParameters(): Promise<Record<string, string>> {
    const rows = await this.parameterRows();
    const entries = await Promise.all(
      rows.map(async (row) => {
        const [name, value] = await Promise.all([row.text({ exclude: 'dd' }), row.text({ exclude: 'dt' })]);
        return [name, value] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
  async isCallWaiting(): Promise<boolean> {
    return (await (await this.card()).getAttribute('data-call-waiting')) === 'true';
  }
  /** While answering, every choice is locked. */
  async isLocked(): Promise<boolean> {
    const buttons = await Promise.all([this.acceptButton(), this.declineButton(), this.ignoreButton()]);
    const disabled = await Promise.all(buttons.map((b) => b.isDisabled()));
    return disabled.every(Boolean);
  }
  async getAcceptText(): Promise<string> {
    return (await this.acceptButton()).getText();
  }
  async accept(): Promise<void> {
    await (await this.acceptButton()).click();
  }
  async decline(): Promise<void> {
    await (await this.declineButton()).click();
  }
  async ignore(): Promise<void> {
    await (await this.ignoreButton()).click();
  }
}

/** In-call controls (`sb-call-controls`): mute, keypad, hang up. */
export class CallControlsHarness extends ComponentHarness {
  static hostSelector = 'sb-call-controls';
  private readonly muteButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=mute-button]' }));
  private readonly keypadButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=keypad-toggle]' }));
  private readonly hangUpButton = this.locatorFor(MatButtonHarness.with({ selector: '[data-testid=hang-up-button]' }));

  async isMuted(): Promise<boolean> {
    return (await (await (await this.muteButton()).host()).getAttribute('aria-pressed')) === 'true';
  }
  async canMute(): Promise<boolean> {
    return !(await (await this.muteButton()).isDisabled());
  }
  /** The mute button's accessible name ("Mute" or "Unmute"). */
  async getMuteLabel(): Promise<string | null> {
    return (await (await this.muteButton()).host()).getAttribute('aria-label');
  }
  /** The keyboard shortcut announced for mute (aria-keyshortcuts). */
  async getMuteShortcut(): Promise<string | null> {
    return (await (await this.muteButton()).host()).getAttribute('aria-keyshortcuts');
  }
  async toggleMute(): Promise<void> {
    await (await this.muteButton()).click();
  }
  async isKeypadOpen(): Promise<boolean> {
    return (await (await (await this.keypadButton()).host()).getAttribute('aria-expanded')) === 'true';
  }
  async toggleKeypad(): Promise<void> {
    await (await this.keypadButton()).click();
  }
  async canHangUp(): Promise<boolean> {
    return !(await (await this.hangUpButton()).isDisabled());
  }
  async hangUp(): Promise<void> {
    await (await this.hangUpButton()).click();
  }
}

export interface QualityStats {
  readonly mos: string;
  readonly rtt: string;
  readonly jitter: string;
  readonly loss: string;
}

/** Live call quality (`sb-quality-indicator`): level, latest figures, warnings with remediation. */
export class QualityIndicatorHarness extends ComponentHarness {
  static hostSelector = 'sb-quality-indicator';
  private readonly head = this.locatorFor('[data-testid=quality-indicator]');
  private readonly label = this.locatorFor('[data-testid=quality-indicator] .label strong');
  private readonly stats = this.locatorForOptional('[data-testid=quality-stats]');
  private readonly warnings = this.locatorForAll('[data-testid=quality-warning]');

  /** `good`, `fair`, `poor`, or null before any sample. */
  async getLevel(): Promise<string | null> {
    return (await this.head()).getAttribute('data-level');
  }
  async getLevelLabel(): Promise<string> {
    return (await this.label()).text();
  }
  /** Latest MOS/RTT/jitter/loss as displayed, or null when there is no sample yet. */
  async getStats(): Promise<QualityStats | null> {
    if (!(await this.stats())) return null;
    const read = async (id: string) => (await this.locatorFor(`[data-testid=${id}]`)()).text();
    const [mos, rtt, jitter, loss] = await Promise.all([read('quality-mos'), read('quality-rtt'), read('quality-jitter'), read('quality-loss')]);
    return { mos, rtt, jitter, loss };
  }
  /** Active warnings in display order, each with what to do about it. */
  async getWarnings(): Promise<{ readonly name: string; readonly remediation: string }[]> {
    const items = await this.warnings();
    return Promise.all(
      items.map(async (item) => ({
        name: (await item.getAttribute('data-warning')) ?? '',
        remediation: (await item.text({ exclude: 'strong, mat-icon' })).trim(),
      })),
    );
  }
}
