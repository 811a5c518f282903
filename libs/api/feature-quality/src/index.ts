export * from './lib/quality.module';
export { summarizeQuality, bandOf } from './lib/quality-summary';
export { encodeSamples, decodeSamples } from './lib/quality-samples-codec';
export { platformOf } from './lib/client-platform';
export { QualityRetention } from './lib/quality-retention';
export { TwilioSummaryRefresher } from './lib/twilio-summary-refresher';
