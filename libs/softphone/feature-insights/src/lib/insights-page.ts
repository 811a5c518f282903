import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute, Router } from '@angular/router';
import { INSIGHTS_DIMENSIONS, INSIGHTS_DIMENSION_WORDS, type InsightsBreakdownRow, type InsightsDimension, type InsightsQuery, type InsightsReport } from '@switchboard/shared-contracts';
import { AgentDirectoryStore, toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { QualityApi } from '@switchboard/softphone-data-access-quality';
import { DISPLAY_LOCALE, formatFigure } from '@switchboard/softphone-ui';
import { Subject, catchError, distinctUntilChanged, map, of, startWith, switchMap, combineLatest, tap } from 'rxjs';
import { insightsQueryFrom, insightsQueryParams, totalsSentence } from './insights-data';
import { InsightsBreakdownChart, InsightsWarningsChart } from './insights-breakdown-chart';
import { InsightsFilters } from './insights-filters';
import { InsightsLineTests } from './insights-line-tests';
import { InsightsOverTime } from './insights-over-time';
import { InsightsBreakdownTable, InsightsProblems } from './insights-tables';

type LoadState = { readonly status: 'loading' } | { readonly status: 'loaded'; readonly report: InsightsReport } | { readonly status: 'failed'; readonly message: string };

/**
 * The supervisors' view of call quality across the team: filters kept in the URL (a view can be shared or
 * bookmarked), totals, calls by band over time, breakdowns per dimension, the top warnings and set-up
 * failures, the CSV of the same selection, and the agents' line tests.
 */
@Component({
  selector: 'sb-insights-page',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, InsightsBreakdownChart, InsightsBreakdownTable, InsightsFilters, InsightsLineTests, InsightsOverTime, InsightsProblems, InsightsWarningsChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page" aria-labelledby="sb-insights-heading" data-testid="insights-page" [attr.data-status]="state().status">
      <div class="head">
        <h1 id="sb-insights-heading">Call quality insights</h1>
        <a matButton="outlined" [href]="csvUrl()" download data-testid="insights-export"><mat-icon aria-hidden="true">download</mat-icon> Export CSV</a>
      </div>
      <sb-insights-filters [query]="query()" [defaultFrom]="report()?.from ?? ''" [defaultTo]="report()?.to ?? ''" [agents]="directory.agents()"
                           (changed)="applyFilters($event)" />
      @switch (state().status) {
        @case ('loading') {
          <div role="status" data-testid="insights-loading">
            <mat-progress-bar mode="indeterminate" aria-label="Loading insights" />
            <p>Loading insights…</p>
          </div>
        }
        @case ('failed') {
          <div class="problem" role="alert" data-testid="insights-error">
            <p>Insights could not be loaded: {{ failure() }}</p>
            <p>Check the filters and your network connection, then try again.</p>
            <button matButton="filled" type="button" (click)="reload()" data-testid="insights-retry">Try again</button>
          </div>
        }
      }
      @if (report(); as report) {
        <section class="totals" aria-label="Totals" [attr.aria-busy]="state().status === 'loading'">
          <p class="total"><span class="figure" data-testid="insights-total-calls">{{ report.totals.calls }}</span> {{ report.totals.calls === 1 ? 'call' : 'calls' }}</p>
          <p>Good {{ report.totals.good }} · Fair {{ report.totals.fair }} · Poor {{ report.totals.poor }}</p>
          <p>Average MOS {{ figure(report.totals.avgMos, 2) }}</p>
          <p>Rated by agents: {{ report.totals.rated }}@if (report.totals.avgRating !== null) { (average {{ figure(report.totals.avgRating, 1) }} of 5) }</p>
        </section>
        @if (report.totals.calls === 0) {
          <p class="empty" data-testid="insights-empty">No calls in this range. Widen the dates or clear a filter.</p>
        } @else {
          <!-- Deferred: chart.js is its own chunk, fetched with this page, not with the app's shared chunk. -->
          @defer (on immediate) {
            <sb-insights-over-time [report]="report" [summary]="summary()" />
          } @placeholder {
            <p>Loading the chart…</p>
          }
          <section aria-labelledby="sb-problems-title">
            <h2 id="sb-problems-title">Problems</h2>
            @if (report.topWarnings.length > 0) {
              @defer (on immediate) {
                <sb-insights-warnings-chart [warnings]="report.topWarnings" />
              } @placeholder {
                <p>Loading the chart…</p>
              }
            }
            <sb-insights-problems [report]="report" />
          </section>
          <section aria-labelledby="sb-breakdowns-title">
            <h2 id="sb-breakdowns-title">Breakdowns</h2>
            <div class="breakdowns">
              @for (dimension of dimensions; track dimension) {
                <!-- The chart above, its table (the accessible view) below; a dimension without calls shows only the table's "No calls." -->
                <div class="breakdown" role="group" [attr.aria-labelledby]="'sb-breakdown-' + dimension">
                  <h3 [id]="'sb-breakdown-' + dimension">{{ dimensionWords[dimension] }}</h3>
                  @if (rowsOf(report, dimension).length > 0) {
                    @defer (on immediate) {
                      <sb-insights-breakdown-chart [dimension]="dimension" [title]="dimensionWords[dimension]" [rows]="rowsOf(report, dimension)" />
                    } @placeholder {
                      <p>Loading the chart…</p>
                    }
                  }
                  <sb-insights-breakdown-table [dimension]="dimension" [title]="dimensionWords[dimension]" [rows]="rowsOf(report, dimension)" />
                </div>
              }
            </div>
          </section>
        }
      }
      <!-- Line tests do not depend on the date range: shown whatever the report says. The team view needs the agent list. -->
      @if (query().agent || directory.status() === 'loaded') {
        <sb-insights-line-tests [agent]="query().agent" [agents]="directory.agents()" />
      } @else if (directory.status() === 'failed') {
        <p role="alert" data-testid="insights-line-tests-error">The agents’ line tests need the agent list, which could not be loaded. Reload the page to try again.</p>
      }
    </main>
  `,
  styles: `
    .page { display: flex; flex-direction: column; gap: 16px; max-width: 1100px; margin: 0 auto; padding: 16px 12px; }
    .head { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
    h1 { margin: 0; font: var(--mat-sys-headline-small); }
    h2 { margin: 0 0 8px; font: var(--mat-sys-title-medium); }
    .totals { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 24px; }
    .totals p { margin: 0; }
    .figure { font: var(--mat-sys-display-small); }
    .empty { margin: 0; font: var(--mat-sys-body-large); }
    .breakdowns { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
    @media (max-width: 520px) { .breakdowns { grid-template-columns: 1fr; } }
    /* Each breakdown's heading sits above its chart, so the chart is not read as the table above it. */
    .breakdown { display: flex; flex-direction: column; gap: 8px; min-width: 0; padding-top: 8px; border-top: 1px solid var(--mat-sys-outline-variant); }
    h3 { margin: 0; font: var(--mat-sys-title-small); }
    .problem { padding: 12px 16px; border-radius: 12px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .problem p { margin: 0 0 8px; }
  `,
})
export class InsightsPage {
  private readonly api = inject(QualityApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly directory = inject(AgentDirectoryStore);
  protected readonly dimensions = INSIGHTS_DIMENSIONS;
  protected readonly dimensionWords = INSIGHTS_DIMENSION_WORDS;
  private readonly reloads = new Subject<void>();
  private readonly query$ = this.route.queryParamMap.pipe(map(insightsQueryFrom), distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)));
  protected readonly query = toSignal(this.query$, { initialValue: {} as InsightsQuery });
  protected readonly state = signal<LoadState>({ status: 'loading' });
  /** The last report stays on screen (marked busy) while the next one loads, so the page does not jump. */
  protected readonly report = signal<InsightsReport | null>(null);
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.status === 'failed' ? state.message : null;
  });
  protected readonly csvUrl = computed(() => this.api.insightsCsvUrl(this.query()));
  protected readonly summary = computed(() => {
    const report = this.report();
    return report ? totalsSentence(report) : '';
  });

  constructor() {
    combineLatest([this.query$, this.reloads.pipe(startWith(undefined))])
      .pipe(
        tap(() => this.state.set({ status: 'loading' })),
        switchMap(([query]) => this.api.insights(query).pipe(
          map((report): LoadState => ({ status: 'loaded', report })),
          catchError((error: unknown) => of<LoadState>({ status: 'failed', message: toApiErrorBody(error).message })),
        )),
        takeUntilDestroyed(),
      )
      .subscribe((state) => {
        this.state.set(state);
        if (state.status === 'loaded') {
          this.report.set(state.report);
          void this.announcer.announce(state.report.totals.calls === 0 ? 'No calls in this range.' : `Insights updated. ${totalsSentence(state.report)}`, 'polite');
        }
      });
    void this.directory.load();
  }

  protected applyFilters(query: InsightsQuery): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: insightsQueryParams(query), queryParamsHandling: 'merge', replaceUrl: true });
  }

  protected reload(): void {
    this.reloads.next();
  }

  /** An API older than the contract's dimension list leaves one out: an empty table, not a broken page. */
  protected rowsOf(report: InsightsReport, dimension: InsightsDimension): readonly InsightsBreakdownRow[] {
    return (report.breakdowns as Partial<InsightsReport['breakdowns']>)[dimension] ?? [];
  }

  protected figure(value: number | null, digits: number): string {
    return value === null ? '–' : formatFigure(value, digits, this.locale);
  }
}
