import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { FEEDBACK_ISSUE_WORDS, type QualityRecord } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, formatFigure } from '../locale/display-locale';

export interface QualityFact {
  readonly label: string;
  readonly value: string;
}

const CANDIDATE_WORDS: Readonly<Record<string, string>> = { host: 'direct (host)', srflx: 'through NAT (srflx)', prflx: 'through NAT (prflx)', relay: 'relayed (TURN)' };

/** The device, network and platform facts of one leg, in the order an agent or supervisor asks about them. */
export function qualityFacts(record: QualityRecord, locale: string): QualityFact[] {
  const { media, platform, summary, rating, twilioSummary } = record;
  const or = (value: string | null | undefined, none = 'Not recorded') => (value ? value : none);
  const candidate = (type: string | null) => (type ? (CANDIDATE_WORDS[type] ?? type) : 'Not recorded');
  const figure = (value: number | null, digits: number, unit = '') => (value === null ? '–' : `${formatFigure(value, digits, locale)}${unit}`);
  const facts: QualityFact[] = [
    { label: 'Average MOS', value: `${figure(summary.mos.avg, 2)} (lowest ${figure(summary.mos.min, 2)})` },
    { label: 'Jitter', value: `average ${figure(summary.jitter.avg, 0, ' ms')}, highest ${figure(summary.jitter.max, 0, ' ms')}` },
    { label: 'Packet loss', value: `average ${figure(summary.packetLossPercent.avg, 1, ' %')}, highest ${figure(summary.packetLossPercent.max, 1, ' %')}` },
    { label: 'Round trip', value: `average ${figure(summary.rtt.avg, 0, ' ms')}` },
    { label: 'Codec', value: or(media.codec) },
    { label: 'Connection (this side / far side)', value: `${candidate(media.localCandidateType)} / ${candidate(media.remoteCandidateType)}` },
    { label: 'Network type', value: or(media.networkType) },
    { label: 'Edge', value: or(media.edge) },
    { label: 'DSCP marking', value: media.dscp ? 'On' : 'Off' },
    { label: 'Voice SDK', value: or(media.sdkVersion) },
    { label: 'Browser', value: [platform.browser, platform.browserVersion].filter(Boolean).join(' ') || 'Not recorded' },
    { label: 'Operating system', value: or(platform.os) },
    { label: 'Microphone', value: or(media.inputDeviceLabel) },
    { label: 'Speaker', value: or(media.outputDeviceLabel) },
    { label: 'Agent’s rating', value: rating ? `${rating.score} of 5${rating.issues.length ? ': ' + rating.issues.map((i) => FEEDBACK_ISSUE_WORDS[i] ?? i).join(', ') : ''}` : 'Not rated' },
  ];
  if (twilioSummary) {
    if (twilioSummary.tags.length > 0) facts.push({ label: 'Twilio’s tags', value: twilioSummary.tags.join(', ') });
    if (twilioSummary.whoHungUp) facts.push({ label: 'Who hung up', value: twilioSummary.whoHungUp });
    if (twilioSummary.postDialDelayMs !== null) facts.push({ label: 'Post-dial delay', value: `${twilioSummary.postDialDelayMs} ms` });
  }
  return facts;
}

/** A leg's facts as a description list. */
@Component({
  selector: 'sb-quality-facts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h4 class="title">Device and network</h4>
    <dl class="facts" data-testid="quality-facts">
      @for (fact of facts(); track fact.label) {
        <div class="fact"><dt>{{ fact.label }}</dt><dd>{{ fact.value }}</dd></div>
      }
    </dl>
  `,
  styles: `
    .title { margin: 8px 0 4px; font: var(--mat-sys-title-small); }
    .facts { margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 4px 16px; }
    .fact { display: flex; flex-direction: column; }
    dt { font: var(--mat-sys-label-medium); color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; overflow-wrap: anywhere; }
  `,
})
export class QualityFacts {
  readonly record = input.required<QualityRecord>();
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly facts = computed(() => qualityFacts(this.record(), this.locale));
}
