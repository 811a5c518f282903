import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AgentDirectoryEntry, LineTest } from '@switchboard/shared-contracts';
import { toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { QualityApi, lineTestOutcome } from '@switchboard/softphone-data-access-quality';
import { DISPLAY_LOCALE, LocalDateTimePipe, lineTestFigures } from '@switchboard/softphone-ui';
import { Subject, catchError, combineLatest, map, of, startWith, switchMap, tap, type Observable } from 'rxjs';

/** One row: an agent and a test of theirs, or the agent without any test yet (team view). */
export interface LineTestRow {
  readonly identity: string;
  readonly test: LineTest | null;
}

type LoadState = { readonly status: 'loading' } | { readonly status: 'loaded'; readonly rows: readonly LineTestRow[] } | { readonly status: 'failed'; readonly message: string };

/** Every directory agent with their newest test or none, then tests of identities the directory does not list. */
export function teamRows(agents: readonly AgentDirectoryEntry[], latest: readonly LineTest[]): LineTestRow[] {
  const byIdentity = new Map(latest.map((test) => [test.identity, test]));
  const listed = new Set(agents.map((agent) => agent.identity));
  return [
    ...agents.map((agent) => ({ identity: agent.identity, test: byIdentity.get(agent.identity) ?? null })),
    ...latest.filter((test) => !listed.has(test.identity)).map((test) => ({ identity: test.identity, test })),
  ];
}

/** What the screen reader hears once the section has loaded. */
export function lineTestRowsAnnouncement(rows: readonly LineTestRow[], agent: string | undefined): string {
  const tested = rows.filter((row) => row.test !== null);
  if (agent) return tested.length === 0 ? `${agent} has no line test yet.` : `${tested.length} line ${tested.length === 1 ? 'test' : 'tests'} of ${agent}.`;
  const poor = tested.filter((row) => row.test?.verdict === 'poor').length;
  return `Latest line tests: ${tested.length} of ${rows.length} agents tested, ${poor} poor or failed.`;
}

/**
 * Supervisors: every agent's latest line test (team view, `?scope=team`: one request, one query), or all of
 * one agent's tests when the Insights agent filter is set (`?identity=`).
 */
@Component({
  selector: 'sb-insights-line-tests',
  imports: [LocalDateTimePipe, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="sb-insights-line-tests-title" data-testid="insights-line-tests" [attr.data-status]="state().status">
      <h2 id="sb-insights-line-tests-title">{{ agentName() ? 'Line tests of ' + agentName() : 'Latest line test per agent' }}</h2>
      @switch (state().status) {
        @case ('loading') {
          <div role="status"><mat-progress-bar mode="indeterminate" aria-label="Loading line tests" /><p>Loading line tests…</p></div>
        }
        @case ('failed') {
          <div class="problem" role="alert" data-testid="insights-line-tests-error">
            <p>Line tests could not be loaded: {{ failure() }}</p>
            <button matButton="filled" type="button" (click)="reloads.next()">Try again</button>
          </div>
        }
      }
      @if (rows(); as rows) {
        @if (rows.length === 0) {
          <p data-testid="insights-line-tests-empty">{{ agentName() ? agentName() + ' has not run a line test yet.' : 'No agents to show.' }}</p>
        } @else {
          <div class="scroll" tabindex="0" role="region" aria-label="Line tests">
            <table class="table">
              <caption>{{ agent() ? 'Newest first' : 'Each agent’s newest test' }}</caption>
              <thead>
                <tr><th scope="col">Agent</th><th scope="col" class="start">When</th><th scope="col" class="start">Result</th>
                  @for (label of figureLabels; track label) { <th scope="col">{{ label }}</th> }
                </tr>
              </thead>
              <tbody>
                @for (row of view(); track $index) {
                  <tr data-testid="insights-line-test" [attr.data-agent]="row.identity" [attr.data-verdict]="row.verdict">
                    <th scope="row">{{ row.name }}</th>
                    @if (row.endedAt) {
                      <td class="start"><time [attr.datetime]="row.endedAt">{{ row.endedAt | localDateTime }}</time></td>
                      <td class="result"><strong [class.poor]="row.poor">{{ row.title }}</strong><br><span class="advice">{{ row.advice }}</span></td>
                      @for (figure of row.figures; track figure.label) { <td>{{ figure.value }}</td> }
                    } @else {
                      <td [attr.colspan]="figureLabels.length + 2" class="result">No line test yet.</td>
                    }
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      }
    </section>
  `,
  styles: `
    h2 { margin: 0 0 8px; font: var(--mat-sys-title-medium); }
    .scroll { overflow-x: auto; }
    .table { border-collapse: collapse; width: 100%; }
    caption { text-align: start; font: var(--mat-sys-title-small); padding: 4px 0; }
    th, td { padding: 4px 8px; text-align: end; vertical-align: top; border-bottom: 1px solid var(--mat-sys-outline-variant); white-space: nowrap; }
    th[scope='row'], thead th:first-child, .start, .result { text-align: start; }
    .result { white-space: normal; min-width: 200px; }
    .advice { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    .poor { color: var(--mat-sys-error); }
    .problem { padding: 12px 16px; border-radius: 12px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .problem p { margin: 0 0 8px; }
  `,
})
export class InsightsLineTests {
  /** The Insights agent filter; unset for the team view. */
  readonly agent = input<string | undefined>(undefined);
  readonly agents = input.required<readonly AgentDirectoryEntry[]>();
  private readonly api = inject(QualityApi);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly reloads = new Subject<void>();
  protected readonly state = signal<LoadState>({ status: 'loading' });
  protected readonly rows = signal<readonly LineTestRow[] | null>(null);
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.status === 'failed' ? state.message : '';
  });
  /** The filtered agent's display name; null for the team view. */
  protected readonly agentName = computed(() => {
    const agent = this.agent();
    return agent ? this.nameOf(agent) : null;
  });
  protected readonly figureLabels = ['MOS', 'Round trip', 'Jitter', 'Packet loss', 'Edge'];
  protected readonly view = computed(() =>
    (this.rows() ?? []).map(({ identity, test }) => {
      const outcome = test ? lineTestOutcome(test) : null;
      return {
        identity, name: this.nameOf(identity), verdict: test?.verdict ?? 'none', endedAt: test?.endedAt ?? null,
        title: outcome?.title ?? '', advice: outcome?.advice ?? '', poor: outcome !== null && (outcome.failed || test?.verdict === 'poor'),
        figures: test ? lineTestFigures(test, this.locale) : [],
      };
    }),
  );

  constructor() {
    combineLatest([toObservable(this.agent), toObservable(this.agents), this.reloads.pipe(startWith(undefined))])
      .pipe(
        tap(() => this.state.set({ status: 'loading' })),
        switchMap(([agent, agents]) => this.load(agent, agents).pipe(
          map((rows): LoadState => ({ status: 'loaded', rows })),
          catchError((error: unknown) => of<LoadState>({ status: 'failed', message: toApiErrorBody(error).message })),
        )),
        takeUntilDestroyed(),
      )
      .subscribe((state) => {
        this.state.set(state);
        if (state.status !== 'loaded') return;
        this.rows.set(state.rows);
        void this.announcer.announce(lineTestRowsAnnouncement(state.rows, this.agentName() ?? undefined), 'polite');
      });
  }

  protected nameOf(identity: string): string {
    return this.agents().find((agent) => agent.identity === identity)?.displayName ?? identity;
  }

  private load(agent: string | undefined, agents: readonly AgentDirectoryEntry[]): Observable<LineTestRow[]> {
    if (agent) return this.api.lineTests(agent).pipe(map(({ lineTests }) => lineTests.map((test) => ({ identity: agent, test }))));
    return this.api.teamLineTests().pipe(map(({ lineTests }) => teamRows(agents, lineTests)));
  }
}
