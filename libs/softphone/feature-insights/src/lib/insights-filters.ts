import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { QUALITY_BANDS, QUALITY_BAND_WORDS, type AgentDirectoryEntry, type InsightsQuery } from '@switchboard/shared-contracts';

/**
 * Date range, agent, direction and band. Native date inputs and selects inside Material fields: labelled,
 * keyboard- and screen-reader-friendly everywhere, and each change applies at once (it goes to the URL).
 */
@Component({
  selector: 'sb-insights-filters',
  imports: [MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="filters" aria-label="Filters" (submit)="$event.preventDefault()">
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>From</mat-label>
        <input matInput type="date" [value]="query().from ?? defaultFrom()" [max]="query().to ?? defaultTo()" (change)="set('from', $any($event.target).value)" data-testid="insights-from" />
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>To</mat-label>
        <input matInput type="date" [value]="query().to ?? defaultTo()" [min]="query().from ?? defaultFrom()" (change)="set('to', $any($event.target).value)" data-testid="insights-to" />
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Agent</mat-label>
        <select matNativeControl (change)="set('agent', $any($event.target).value)" data-testid="insights-agent">
          <option value="">All agents</option>
          @for (agent of agents(); track agent.identity) { <option [value]="agent.identity" [selected]="query().agent === agent.identity">{{ agent.displayName }}</option> }
          @if (query().agent && !hasAgent(query().agent!)) { <option [value]="query().agent" selected>{{ query().agent }}</option> }
        </select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Direction</mat-label>
        <select matNativeControl (change)="set('direction', $any($event.target).value)" data-testid="insights-direction">
          <option value="">Both</option>
          <option value="inbound" [selected]="query().direction === 'inbound'">Incoming</option>
          <option value="outbound" [selected]="query().direction === 'outbound'">Outgoing</option>
        </select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Quality</mat-label>
        <select matNativeControl (change)="set('band', $any($event.target).value)" data-testid="insights-band">
          <option value="">All</option>
          @for (band of bands; track band) { <option [value]="band" [selected]="query().band === band">{{ bandWords[band] }}</option> }
        </select>
      </mat-form-field>
    </form>
  `,
  styles: `
    .filters { display: flex; flex-wrap: wrap; gap: 8px 12px; }
    mat-form-field { width: 170px; }
  `,
  // Each option says whether it is chosen: a [value] on the <select> is set before its @for options exist.
})
export class InsightsFilters {
  readonly query = input.required<InsightsQuery>();
  /** The range the API used when the URL has none (its default: the last 7 days). */
  readonly defaultFrom = input('');
  readonly defaultTo = input('');
  readonly agents = input<readonly AgentDirectoryEntry[]>([]);
  readonly changed = output<InsightsQuery>();
  protected readonly bands = QUALITY_BANDS;
  protected readonly bandWords = QUALITY_BAND_WORDS;

  protected hasAgent(identity: string): boolean {
    return this.agents().some((agent) => agent.identity === identity);
  }

  /** An emptied field removes its filter. */
  protected set(key: keyof InsightsQuery, value: string): void {
    const next: Record<string, string | undefined> = { ...this.query(), [key]: value || undefined };
    const cleaned = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as InsightsQuery;
    this.changed.emit(cleaned);
  }
}
