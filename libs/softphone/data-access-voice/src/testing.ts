/**
 * @switchboard/softphone-data-access-voice/testing: fakes that `implements` the real ports, so
 * drift between them and the ports is a compile error. For unit tests only.
 */
export { FakeDesktopNotifications, FakeDocumentTitle, type FakeShownNotification } from './lib/testing-support/ringing-alert-fakes';
import type { CheckNumberResponse, VoiceTokenResponse } from '@switchboard/shared-contracts';
import { DEFAULT_EDGE_PREFERENCE, type AudioEvent, type CallEvent, type CallId, type DeviceEvent, type EdgePreference, type QualityEvent, type VoiceLogLevel } from '@switchboard/shared-voice-model';
import { BehaviorSubject, EMPTY, Subject, defer, merge, of, takeWhile, type Observable } from 'rxjs';
import { NO_DEVICE_PREFERENCES, type DevicePreferences, type DevicePreferencesStorage } from './lib/ports/device-preferences-storage';
import type { NumberPolicyCheck } from './lib/ports/number-policy-check';
import type { PageLifecycle, PageLifecycleEvent, UnloadAttempt } from './lib/ports/page-lifecycle';
import type { TabLeadership, TabRole } from './lib/ports/tab-leadership';
import type { BrowserMicrophonePermission, MicrophoneAccess, MicrophoneCheckResult } from './lib/ports/microphone-access';
import type { CallMediaEvent, OutgoingCallRequest, PreflightEvent, PreflightRunOptions, VoicePort } from './lib/ports/voice-port';
import type { FeedbackIssue, FeedbackScore } from '@switchboard/shared-contracts';
import type { VoiceTokenSource } from './lib/ports/voice-token-source';
import { initialAudioDevicesState, type AudioDevicesState } from './lib/audio-devices/audio-devices.feature';
import { initialCallState, type CallState } from './lib/call/call.feature';
import { initialConnectionState, type ConnectionState } from './lib/connection/connection.feature';
import { initialEdgeState, type EdgeState } from './lib/edge/edge.feature';
import { initialQualityState, type QualityState } from './lib/quality/quality.feature';
import { initialCallControlState, type CallControlState } from './lib/call-control/call-control.feature';
import { initialFarEndState, type FarEndState } from './lib/far-end/far-end.feature';
import type { CallControlPort } from './lib/ports/call-control-port';
import type {
  CallParticipantsResponse,
  ConsultAction,
  ConsultActionResponse,
  HangUpResponse,
  HoldResponse,
  RejoinableCallsResponse,
  RejoinResponse,
  TransferRequest,
  TransferResponse,
} from '@switchboard/shared-contracts';

/** The root state the voice slices form (for MockStore and selector tests). */
export interface VoiceRootState {
  readonly connection: ConnectionState;
  readonly call: CallState;
  readonly quality: QualityState;
  readonly audioDevices: AudioDevicesState;
  readonly edge: EdgeState;
  readonly callControl: CallControlState;
  readonly farEnd: FarEndState;
}

export function voiceRootState(patch: {
  readonly connection?: Partial<ConnectionState>;
  readonly call?: Partial<CallState>;
  readonly quality?: Partial<QualityState>;
  readonly audioDevices?: Partial<AudioDevicesState>;
  readonly edge?: Partial<EdgeState>;
  readonly callControl?: Partial<CallControlState>;
  readonly farEnd?: Partial<FarEndState>;
} = {}): VoiceRootState {
  return {
    connection: { ...initialConnectionState, ...patch.connection },
    call: { ...initialCallState, ...patch.call },
    quality: { ...initialQualityState, ...patch.quality },
    audioDevices: { ...initialAudioDevicesState, ...patch.audioDevices },
    edge: { ...initialEdgeState, ...patch.edge },
    callControl: { ...initialCallControlState, ...patch.callControl },
    farEnd: { ...initialFarEndState, ...patch.farEnd },
  };
}

/** One recorded port command, in call order. */
export interface FakeVoiceCommand {
  readonly method: keyof VoicePort;
  readonly args: readonly unknown[];
}

export interface FakeVoicePortInit {
  readonly deviceEvents$?: Observable<DeviceEvent>;
  readonly callEvents$?: Observable<CallEvent>;
  readonly qualityEvents$?: Observable<QualityEvent>;
  readonly audioEvents$?: Observable<AudioEvent>;
  readonly mediaEvents$?: Observable<CallMediaEvent>;
  /** Default: a preflight that never emits (a test drives it with `emitPreflight`). */
  readonly runPreflight?: (token: string, options?: PreflightRunOptions) => Observable<PreflightEvent>;
  readonly postFeedback?: (callId: CallId, score: FeedbackScore, issue: FeedbackIssue | null) => Observable<void>;
  readonly register?: (token: string) => Observable<void>;
  readonly refreshRegistration?: () => Observable<void>;
  readonly connect?: (request: OutgoingCallRequest) => CallId;
  readonly setInputDevice?: (deviceId: string) => Observable<void>;
  readonly setOutputDevice?: (deviceId: string) => Observable<void>;
  readonly setRingtoneDevice?: (deviceId: string) => Observable<void>;
  readonly testSpeaker?: (soundUrl: string | null) => Observable<void>;
  readonly setEdge?: (preference: EdgePreference) => Observable<void>;
  /** Make these synchronous commands throw (e.g. InvalidStateError on a destroyed Device). */
  readonly throwOn?: readonly (keyof VoicePort)[];
}

/**
 * A VoicePort without an SDK. Event streams are the ones given (marble tests) merged with
 * subjects a test can push into (`emitDevice`, `emitCall`, …). Every command is recorded.
 */
export class FakeVoicePort implements VoicePort {
  readonly commands: FakeVoiceCommand[] = [];
  private readonly device$ = new Subject<DeviceEvent>();
  private readonly call$ = new Subject<CallEvent>();
  private readonly quality$ = new Subject<QualityEvent>();
  private readonly audio$ = new Subject<AudioEvent>();
  private readonly media$ = new Subject<CallMediaEvent>();
  private readonly preflight$ = new Subject<PreflightEvent>();
  private nextCallNumber = 1;

  readonly deviceEvents$: Observable<DeviceEvent>;
  readonly callEvents$: Observable<CallEvent>;
  readonly qualityEvents$: Observable<QualityEvent>;
  readonly audioEvents$: Observable<AudioEvent>;
  readonly mediaEvents$: Observable<CallMediaEvent>;

  constructor(private readonly init: FakeVoicePortInit = {}) {
    this.deviceEvents$ = merge(init.deviceEvents$ ?? EMPTY, this.device$);
    this.callEvents$ = merge(init.callEvents$ ?? EMPTY, this.call$);
    this.qualityEvents$ = merge(init.qualityEvents$ ?? EMPTY, this.quality$);
    this.audioEvents$ = merge(init.audioEvents$ ?? EMPTY, this.audio$);
    this.mediaEvents$ = merge(init.mediaEvents$ ?? EMPTY, this.media$);
  }

  emitDevice(event: DeviceEvent): void {
    this.device$.next(event);
  }
  emitCall(event: CallEvent): void {
    this.call$.next(event);
  }
  emitQuality(event: QualityEvent): void {
    this.quality$.next(event);
  }
  emitAudio(event: AudioEvent): void {
    this.audio$.next(event);
  }
  emitMedia(event: CallMediaEvent): void {
    this.media$.next(event);
  }
  /** Into the running preflight (the default runPreflight); `completed` and `failed` end it. */
  emitPreflight(event: PreflightEvent): void {
    this.preflight$.next(event);
  }

  /** Names of the commands received, in order. */
  get commandNames(): readonly (keyof VoicePort)[] {
    return this.commands.map((c) => c.method);
  }

  commandsNamed(method: keyof VoicePort): readonly FakeVoiceCommand[] {
    return this.commands.filter((c) => c.method === method);
  }

  private record(method: keyof VoicePort, ...args: unknown[]): void {
    this.commands.push({ method, args });
    if (this.init.throwOn?.includes(method)) {
      throw Object.assign(new Error(`InvalidStateError: fake ${String(method)} failed`), { name: 'InvalidStateError' });
    }
  }

  register(token: string): Observable<void> {
    this.record('register', token);
    return this.init.register?.(token) ?? of(undefined);
  }
  refreshRegistration(): Observable<void> {
    this.record('refreshRegistration');
    return this.init.refreshRegistration?.() ?? of(undefined);
  }
  updateToken(token: string): void {
    this.record('updateToken', token);
  }
  destroy(): void {
    this.record('destroy');
  }
  connect(request: OutgoingCallRequest): CallId {
    this.record('connect', request);
    return this.init.connect?.(request) ?? `call-${this.nextCallNumber++}`;
  }
  accept(callId: CallId): void {
    this.record('accept', callId);
  }
  reject(callId: CallId): void {
    this.record('reject', callId);
  }
  ignore(callId: CallId): void {
    this.record('ignore', callId);
  }
  hangUp(callId: CallId): void {
    this.record('hangUp', callId);
  }
  mute(callId: CallId): void {
    this.record('mute', callId);
  }
  unmute(callId: CallId): void {
    this.record('unmute', callId);
  }
  sendDigits(callId: CallId, digits: string): void {
    this.record('sendDigits', callId, digits);
  }
  sendMessage(callId: CallId, content: unknown, contentType?: string): string {
    this.record('sendMessage', callId, content, contentType);
    return `KX${String(this.commands.length).padStart(32, '0')}`;
  }
  setInputDevice(deviceId: string): Observable<void> {
    this.record('setInputDevice', deviceId);
    return this.init.setInputDevice?.(deviceId) ?? of(undefined);
  }
  setOutputDevice(deviceId: string): Observable<void> {
    this.record('setOutputDevice', deviceId);
    return this.init.setOutputDevice?.(deviceId) ?? of(undefined);
  }
  setRingtoneDevice(deviceId: string): Observable<void> {
    this.record('setRingtoneDevice', deviceId);
    return this.init.setRingtoneDevice?.(deviceId) ?? of(undefined);
  }
  testSpeaker(soundUrl: string | null): Observable<void> {
    this.record('testSpeaker', soundUrl);
    return this.init.testSpeaker?.(soundUrl) ?? of(undefined);
  }
  setLogLevel(level: VoiceLogLevel): void {
    this.record('setLogLevel', level);
  }
  setEdge(preference: EdgePreference): Observable<void> {
    this.record('setEdge', preference);
    return this.init.setEdge?.(preference) ?? of(undefined);
  }
  runPreflight(token: string, options?: PreflightRunOptions): Observable<PreflightEvent> {
    this.record('runPreflight', token, options);
    return (
      this.init.runPreflight?.(token, options) ??
      this.preflight$.pipe(takeWhile((event) => event.kind !== 'completed' && event.kind !== 'failed', true))
    );
  }
  postFeedback(callId: CallId, score: FeedbackScore, issue: FeedbackIssue | null): Observable<void> {
    this.record('postFeedback', callId, score, issue);
    return this.init.postFeedback?.(callId, score, issue) ?? of(undefined);
  }
}

export interface FakeMicrophoneAccessInit {
  /** Default: granted at once. */
  readonly check?: () => Observable<MicrophoneCheckResult>;
  /** Default: no changes (completes at once, like a browser without the Permissions API). */
  readonly permissionChanges?: () => Observable<BrowserMicrophonePermission>;
}

/** The microphone permission without a browser; counts the checks. */
export class FakeMicrophoneAccess implements MicrophoneAccess {
  checks = 0;
  constructor(private readonly init: FakeMicrophoneAccessInit = {}) {}

  check(): Observable<MicrophoneCheckResult> {
    this.checks += 1;
    return this.init.check?.() ?? of<MicrophoneCheckResult>({ permission: 'granted' });
  }
  permissionChanges(): Observable<BrowserMicrophonePermission> {
    return this.init.permissionChanges?.() ?? EMPTY;
  }
}

/** A well-formed token response; `expiresAt` defaults to one hour after `now`. */
export function fakeVoiceToken(overrides: Partial<VoiceTokenResponse> = {}, now = Date.UTC(2026, 10, 24, 9, 0, 0)): VoiceTokenResponse {
  return { token: 'eyJ.fake.token', identity: 'alice', expiresAt: new Date(now + 3_600_000).toISOString(), ...overrides };
}

/** Issues tokens from a queue of observables (or a default one); counts requests. */
export class FakeVoiceTokenSource implements VoiceTokenSource {
  issued = 0;
  private readonly queue: Observable<VoiceTokenResponse>[];

  constructor(responses: readonly Observable<VoiceTokenResponse>[] = [], private readonly fallback: () => Observable<VoiceTokenResponse> = () => of(fakeVoiceToken())) {
    this.queue = [...responses];
  }

  issue(): Observable<VoiceTokenResponse> {
    this.issued += 1;
    return this.queue.shift() ?? this.fallback();
  }
}

export class FakePageLifecycle implements PageLifecycle {
  private readonly subject = new Subject<PageLifecycleEvent>();
  private readonly unloads = new Subject<UnloadAttempt>();
  readonly events$: Observable<PageLifecycleEvent>;
  readonly unloadAttempts$: Observable<UnloadAttempt> = this.unloads.asObservable();

  constructor(source?: Observable<PageLifecycleEvent>) {
    this.events$ = source ? merge(source, this.subject) : this.subject.asObservable();
  }

  fire(event: PageLifecycleEvent): void {
    this.subject.next(event);
  }

  /** A `beforeunload`; answers whether the browser would have asked the agent to confirm leaving. */
  attemptUnload(): boolean {
    let confirm = false;
    this.unloads.next({ confirmLeaving: () => { confirm = true; } });
    return confirm;
  }
}

/** The tab election, driven by the test: `role$` replays the current role to each subscriber. */
export class FakeTabLeadership implements TabLeadership {
  private readonly role = new BehaviorSubject<TabRole>('leader');
  readonly role$: Observable<TabRole> = defer(() => this.role.asObservable());
  takeOvers = 0;

  constructor(initial: TabRole = 'leader') {
    this.role.next(initial);
  }

  become(role: TabRole): void {
    this.role.next(role);
  }

  takeOver(): void {
    this.takeOvers += 1;
    this.role.next('leader');
  }
}

export class InMemoryDevicePreferences implements DevicePreferencesStorage {
  saved: DevicePreferences[] = [];
  savedEdges: EdgePreference[] = [];
  constructor(
    private current: DevicePreferences = NO_DEVICE_PREFERENCES,
    private currentEdge: EdgePreference = DEFAULT_EDGE_PREFERENCE,
  ) {}
  loadEdgePreference(): EdgePreference {
    return this.currentEdge;
  }
  saveEdgePreference(preference: EdgePreference): void {
    this.currentEdge = preference;
    this.savedEdges.push(preference);
  }
  load(): DevicePreferences {
    return this.current;
  }
  save(preferences: DevicePreferences): void {
    this.current = preferences;
    this.saved.push(preferences);
  }
}

/** Answers number checks from a function (default: every number allowed as typed); records what was asked. */
export class FakeNumberPolicyCheck implements NumberPolicyCheck {
  readonly asked: string[] = [];
  constructor(private readonly answer: (to: string) => Observable<CheckNumberResponse> = (to) => of({ allowed: true, e164: to })) {}

  check(to: string): Observable<CheckNumberResponse> {
    this.asked.push(to);
    return this.answer(to);
  }
}

/** One recorded call-control request, in call order. */
export interface FakeCallControlRequest {
  readonly method: keyof CallControlPort;
  readonly callSid: string;
  readonly body?: unknown;
}

/**
 * The call-control routes without HTTP: each method answers from the function given (marble tests
 * pass cold observables), or with a plausible success. Every request is recorded.
 */
export class FakeCallControlPort implements CallControlPort {
  readonly requests: FakeCallControlRequest[] = [];
  constructor(private readonly answers: Partial<{ [K in keyof CallControlPort]: CallControlPort[K] }> = {}) {}

  participants(callSid: string): Observable<CallParticipantsResponse> {
    this.requests.push({ method: 'participants', callSid });
    return this.answers.participants?.(callSid) ?? of({ callSid, controllable: true, participants: [] });
  }
  hold(callSid: string, hold: boolean): Observable<HoldResponse> {
    this.requests.push({ method: 'hold', callSid, body: { hold } });
    return this.answers.hold?.(callSid, hold) ?? of({ callSid, held: hold, heldSince: hold ? '2026-12-06T09:00:00.000Z' : null });
  }
  transfer(callSid: string, request: TransferRequest): Observable<TransferResponse> {
    this.requests.push({ method: 'transfer', callSid, body: request });
    return this.answers.transfer?.(callSid, request) ?? of({ callSid, transferId: 'TR1', mode: request.mode, status: 'ringing-target', targetDisplay: 'target' });
  }
  consult(callSid: string, action: ConsultAction): Observable<ConsultActionResponse> {
    this.requests.push({ method: 'consult', callSid, body: action });
    return this.answers.consult?.(callSid, action) ?? of({ callSid, action, participants: [] });
  }
  rejoin(callSid: string): Observable<RejoinResponse> {
    this.requests.push({ method: 'rejoin', callSid });
    return this.answers.rejoin?.(callSid) ?? of({ callSid, to: 'rejoin', params: { rejoinCallSid: callSid } });
  }
  /** Default: nothing to rejoin. */
  rejoinable(): Observable<RejoinableCallsResponse> {
    this.requests.push({ method: 'rejoinable', callSid: '' });
    return this.answers.rejoinable?.() ?? of({ calls: [] });
  }
  /** Default: the API took the leg out and the customer stays with nobody (the call ended for them). */
  hangUp(callSid: string): Observable<HangUpResponse> {
    this.requests.push({ method: 'hangUp', callSid });
    return this.answers.hangUp?.(callSid) ?? of({ callSid, customerCallEnded: true });
  }
}
