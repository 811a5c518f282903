import {
  QUALITY_LIMITS,
  RECORDED_WARNING_NAMES,
  type CallDirection,
  type CallMediaFacts,
  type QualityRecordInput,
  type RecordedWarning,
  type RecordedWarningName,
  type SetupEvent,
  type SetupStep,
} from '@switchboard/shared-contracts';
import type { QualitySample } from '@switchboard/shared-voice-model';
import { EMPTY_LEVELS, addLevels, appendSample, emptyColumns, takeLevels, toSampleColumns, type ColumnBuffers, type LevelAccumulator } from './sample-columns';

export function isRecordedWarningName(name: string): name is RecordedWarningName {
  return (RECORDED_WARNING_NAMES as readonly string[]).includes(name);
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The API's limits (quality-validation.ts): short texts, labels and messages, step durations. */
const SHORT_TEXT = 100;
const MAX_STEP_MS = 3_600_000;
const cut = (value: string | null, max: number) => (value === null ? null : value.slice(0, max));
export const errorMessage = (message: string) => message.slice(0, QUALITY_LIMITS.maxLabelLength);

interface OpenStep {
  readonly step: SetupStep;
  readonly at: number;
}

interface MutableWarning {
  readonly name: RecordedWarningName;
  readonly startedAt: number;
  endedAt: number | null;
}

/** What the recorder knows of the Device when a call has no media facts of its own (it never had media). */
export interface DeviceContext {
  readonly edge: string | null;
  readonly sdkVersion: string;
}

/**
 * One call leg being recorded: samples as columns, warnings with start and end, set-up steps. Fed by the
 * recorder service in event order; `toRecord` builds the QualityRecordInput once the call is over.
 */
export class CallRecording {
  callSid: string | null;
  /** The agent answered it, or the far end answered ours: there is a leg worth a record. */
  answered = false;
  /** The call failed with an SDK code: recorded even without an answer (a set-up failure). */
  failed = false;
  private readonly columns: ColumnBuffers = emptyColumns();
  private levels: LevelAccumulator = EMPTY_LEVELS;
  private readonly warnings: MutableWarning[] = [];
  private readonly setup: SetupEvent[] = [];
  private openStep: OpenStep | null = null;
  private answerAt: number | null = null;
  /** When media first flowed; with early media (an outgoing call's ringback) that is before the answer. */
  private mediaAt: number | null = null;
  private media: CallMediaFacts | null = null;

  constructor(
    readonly direction: CallDirection,
    readonly startedAt: number,
    callSid: string | null,
  ) {
    this.callSid = callSid;
    // An outgoing call's first step: from connect() to the far end ringing.
    if (direction === 'outbound') this.openStep = { step: 'invite-to-ringing', at: startedAt };
  }

  get warningNames(): readonly RecordedWarningName[] {
    return [...new Set(this.warnings.map((w) => w.name))];
  }

  get sampleCount(): number {
    return this.columns.mos.length;
  }

  ringing(at: number): void {
    this.closeStep('invite-to-ringing', at);
  }

  /** The agent clicked Answer (incoming): answer-to-media starts here rather than at the SDK's accept. */
  answerClicked(at: number): void {
    this.answerAt ??= at;
  }

  accepted(at: number, callSid: string | null): void {
    this.callSid = callSid ?? this.callSid;
    this.answered = true;
    // Accepted without a ringing (answerOnBridge, or a fast answer): the invite took until now.
    this.closeStep('invite-to-ringing', at);
    if (this.openStep) return;
    this.openStep = { step: 'answer-to-media', at: this.answerAt ?? at };
    // Media was already flowing (early media): the answer had nothing left to wait for.
    if (this.mediaAt !== null) this.closeStep('answer-to-media', this.openStep.at);
  }

  mediaFlowing(at: number): void {
    this.mediaAt ??= at;
    this.closeStep('answer-to-media', at);
  }

  mediaFacts(facts: CallMediaFacts): void {
    const label = QUALITY_LIMITS.maxLabelLength;
    this.media = {
      ...facts,
      codec: cut(facts.codec, SHORT_TEXT),
      localCandidateType: cut(facts.localCandidateType, SHORT_TEXT),
      remoteCandidateType: cut(facts.remoteCandidateType, SHORT_TEXT),
      networkType: cut(facts.networkType, SHORT_TEXT),
      edge: cut(facts.edge, SHORT_TEXT),
      sdkVersion: facts.sdkVersion.slice(0, SHORT_TEXT) || 'unknown',
      inputDeviceLabel: cut(facts.inputDeviceLabel, label),
      outputDeviceLabel: cut(facts.outputDeviceLabel, label),
    };
  }

  /** A call error: the open step failed with it; the call is recorded even when nobody answered. */
  error(code: number | null, message: string): void {
    if (code === null) return;
    this.failed = true;
    if (this.openStep) {
      const { step, at: startedAt } = this.openStep;
      this.openStep = null;
      this.pushSetup({ step, at: iso(startedAt), durationMs: null, error: { code: Math.max(0, code), message: errorMessage(message) } });
    }
  }

  volume(input: number, output: number): void {
    this.levels = addLevels(this.levels, input, output);
  }

  sample(sample: QualitySample, now: number): void {
    const { input, output, next } = takeLevels(this.levels);
    this.levels = next;
    appendSample(this.columns, sample, { input, output }, now);
  }

  warningRaised(name: string, at: number): void {
    if (!isRecordedWarningName(name) || this.warnings.length >= QUALITY_LIMITS.maxWarnings) return;
    if (this.warnings.some((w) => w.name === name && w.endedAt === null)) return;
    this.warnings.push({ name, startedAt: at, endedAt: null });
  }

  warningCleared(name: string, at: number): void {
    const open = this.warnings.find((w) => w.name === name && w.endedAt === null);
    if (open) open.endedAt = at;
  }

  /** Worth sending: a leg (CallSid) that was answered or failed with a code. Unanswered rings are not call quality. */
  get isRecordable(): boolean {
    return this.callSid !== null && (this.answered || this.failed);
  }

  toRecord(endedAt: number, device: DeviceContext): QualityRecordInput | null {
    if (!this.isRecordable || this.callSid === null) return null;
    const setup = [...this.setup];
    if (this.openStep) {
      // Never finished (hung up before media flowed): no duration, no error.
      setup.push({ step: this.openStep.step, at: iso(this.openStep.at), durationMs: null, error: null });
    }
    const warnings: RecordedWarning[] = this.warnings.map((w) => ({
      name: w.name,
      startedAt: iso(w.startedAt),
      endedAt: w.endedAt === null ? null : iso(Math.max(w.endedAt, w.startedAt)),
    }));
    return {
      callSid: this.callSid,
      direction: this.direction,
      startedAt: iso(this.startedAt),
      endedAt: iso(Math.max(endedAt, this.startedAt)),
      samples: toSampleColumns(this.columns, this.startedAt),
      warnings,
      setup: setup.slice(0, QUALITY_LIMITS.maxSetupEvents),
      media: this.media ?? {
        codec: null,
        localCandidateType: null,
        remoteCandidateType: null,
        networkType: null,
        edge: device.edge,
        dscp: false,
        sdkVersion: device.sdkVersion,
        inputDeviceLabel: null,
        outputDeviceLabel: null,
      },
    };
  }

  private closeStep(step: SetupStep, at: number): void {
    if (this.openStep?.step !== step) return;
    const startedAt = this.openStep.at;
    this.openStep = null;
    this.pushSetup({ step, at: iso(startedAt), durationMs: Math.min(MAX_STEP_MS, Math.max(0, at - startedAt)), error: null });
  }

  private pushSetup(event: SetupEvent): void {
    if (this.setup.length < QUALITY_LIMITS.maxSetupEvents) this.setup.push(event);
  }
}
