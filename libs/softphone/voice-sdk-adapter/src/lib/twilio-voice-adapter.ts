import { Injectable, NgZone, inject, type OnDestroy } from '@angular/core';
import type { CallMediaFacts, FeedbackIssue, FeedbackScore } from '@switchboard/shared-contracts';
import type { CallMediaEvent, OutgoingCallRequest, PreflightEvent, PreflightRunOptions, VoicePort } from '@switchboard/softphone-data-access-voice';
import {
  DEFAULT_EDGE_PREFERENCE,
  describeAppError,
  type AudioEvent,
  type CallEvent,
  type CallId,
  type DeviceEvent,
  type EdgePreference,
  type QualityEvent,
  type VoiceLogLevel,
} from '@switchboard/shared-voice-model';
import { EMPTY, Observable, Subject, Subscription, catchError, defer, from, map, merge, of, switchMap, take, throwError } from 'rxjs';
import { CallRegistry } from './call-registry';
import { listenToCall } from './call-listeners';
import { deviceListsEvent, listenToDevice } from './device-listeners';
import { readPathFacts, toMediaFacts } from './media-facts';
import { preflightEvents, preflightOptions } from './preflight';
import { VoiceAdapterError, sdkErrorOf, toSdkError } from './sdk-error';
import { sdkEvent } from './sdk-event';
import { markTiming } from './timing-marks';
import type { SdkAudioHelper, SdkCall, SdkDevice, VoiceSdkModule } from './sdk-types';
import {
  LOAD_CLIENT_CONFIG,
  LOAD_VOICE_SDK,
  VOICE_ADAPTER_SCHEDULER,
  VOICE_DEVICE_OPTIONS,
  buildDeviceOptions,
} from './voice-device-options';

/**
 * The only implementation of VoicePort on the real SDK. Owns the Device and every Call; turns
 * their events into plain data. The SDK module is imported lazily, on the first register()
 * (after sign-in), and the Device is created outside Angular's zone so its timers and 50 ms
 * volume polling never trigger change detection (harmless in this zoneless app).
 */
@Injectable()
export class TwilioVoiceAdapter implements VoicePort, OnDestroy {
  private readonly zone = inject(NgZone);
  private readonly options = inject(VOICE_DEVICE_OPTIONS);
  private readonly loadSdk = inject(LOAD_VOICE_SDK);
  private readonly loadClientConfig = inject(LOAD_CLIENT_CONFIG);
  private readonly scheduler = inject(VOICE_ADAPTER_SCHEDULER);

  private readonly deviceSubject = new Subject<DeviceEvent>();
  private readonly callSubject = new Subject<CallEvent>();
  private readonly qualitySubject = new Subject<QualityEvent>();
  private readonly audioSubject = new Subject<AudioEvent>();
  private readonly mediaSubject = new Subject<CallMediaEvent>();

  readonly deviceEvents$ = this.deviceSubject.asObservable();
  readonly callEvents$ = this.callSubject.asObservable();
  readonly qualityEvents$ = this.qualitySubject.asObservable();
  readonly audioEvents$ = this.audioSubject.asObservable();
  readonly mediaEvents$ = this.mediaSubject.asObservable();

  private readonly calls = new CallRegistry();
  private sdkVersion = '';
  private dscp = this.options.dscp;
  private device: SdkDevice | null = null;
  private deviceListeners: Subscription | null = null;
  private creating: Promise<SdkDevice> | null = null;
  private sdk: Promise<VoiceSdkModule> | null = null;
  private logLevel: VoiceLogLevel | null = null;
  private edgePreference: EdgePreference = DEFAULT_EDGE_PREFERENCE;
  /** The `edge` option the configuration gave the current Device (the `configured` preference). */
  private configuredEdge: unknown = null;
  /** The Device's configured `outgoing` sound (local in sandbox mode), for the speaker test. */
  private outgoingSoundUrl: string | null = null;

  private get throttleMs(): number {
    return Math.max(1, Math.round(1000 / Math.max(1, this.options.volumeEventsPerSecond)));
  }

  // ---- device lifecycle ---------------------------------------------------------------------

  register(token: string): Observable<void> {
    return defer(() => from(this.ensureDevice(token))).pipe(switchMap((device) => this.registerDevice(device)));
  }

  refreshRegistration(): Observable<void> {
    return defer(() => {
      const device = this.device;
      if (!device) return throwError(() => new VoiceAdapterError(null, 'No Device to re-register'));
      if (device.state === 'registered') {
        // A frozen tab can lose its registration while the state still says registered.
        return from(device.unregister()).pipe(switchMap(() => this.registerDevice(device)));
      }
      return this.registerDevice(device);
    });
  }

  updateToken(token: string): void {
    this.device?.updateToken(token);
  }

  destroy(): void {
    const device = this.device;
    this.device = null;
    this.creating = null;
    // Detach first: a Device we destroy on purpose must not report it as a fault.
    this.deviceListeners?.unsubscribe();
    this.deviceListeners = null;
    this.calls.releaseAll();
    if (device && device.state !== 'destroyed') device.destroy();
  }

  ngOnDestroy(): void {
    this.destroy();
  }

  setLogLevel(level: VoiceLogLevel): void {
    this.logLevel = level;
    this.device?.updateOptions({ logLevel: level });
  }

  setEdge(preference: EdgePreference): Observable<void> {
    return defer(() => {
      // Kept first, so a Device created later (sign-in, or a rebuild) starts on this edge.
      this.edgePreference = preference;
      const device = this.device;
      if (!device || device.state === 'destroyed') return of(undefined);
      // device.js updateOptions throws "Cannot change Edge while on an active Call" after it has already
      // swapped its options and signaling URIs, leaving them half-changed: never let it get there.
      if (device.isBusy) return throwError(() => describeAppError('CallInProgress'));
      try {
        // A new edge makes the SDK reconnect signaling (and re-register); the same one is a no-op.
        device.updateOptions({ edge: this.edgeOption() });
        return of(undefined);
      } catch (error: unknown) {
        const sdkError = sdkErrorOf(error);
        return throwError(() => (sdkError ? new VoiceAdapterError(sdkError.code, sdkError.message) : describeAppError('EdgeChangeFailed')));
      }
    });
  }

  private edgeOption(): unknown {
    return this.edgePreference === 'configured' ? this.configuredEdge : this.edgePreference;
  }

  private ensureDevice(token: string): Promise<SdkDevice> {
    if (this.device && this.device.state === 'unregistered' && !this.device.isBusy) {
      // Its signaling may be down: register() would then send into a closed socket (the SDK does not
      // queue it) and cancel the SDK's own re-register on reconnect. A new Device connects afresh.
      this.destroy();
    }
    if (this.device) {
      this.device.updateToken(token);
      return Promise.resolve(this.device);
    }
    if (!this.creating) {
      const creating = this.createDevice(token);
      this.creating = creating;
      creating.catch(() => {
        if (this.creating === creating) this.creating = null;
      });
    }
    return this.creating;
  }

  private async loadSdkOnce(): Promise<VoiceSdkModule> {
    if (!this.sdk) {
      markTiming('sb:sdk-start');
      this.sdk = this.loadSdk().then(
        (sdk) => {
          markTiming('sb:sdk-end');
          return sdk;
        },
        (error: unknown) => {
          this.sdk = null;
          throw error;
        },
      );
    }
    try {
      return await this.sdk;
    } catch {
      throw new VoiceAdapterError(null, describeAppError('SdkLoadFailed').message);
    }
  }

  private async createDevice(token: string): Promise<SdkDevice> {
    const sdk = await this.loadSdkOnce();
    const config = await this.loadClientConfig().catch(() => null);
    const deviceOptions = buildDeviceOptions(this.options, config);
    this.sdkVersion = sdk.Device.version;
    this.dscp = deviceOptions['dscp'] === true;
    if (this.logLevel) deviceOptions['logLevel'] = this.logLevel;
    this.configuredEdge = deviceOptions['edge'];
    // In sandbox mode the options carry `chunderw`, which the SDK uses instead of any edge.
    deviceOptions['edge'] = this.edgeOption();
    const sounds = deviceOptions['sounds'] as Record<string, unknown> | undefined;
    this.outgoingSoundUrl = typeof sounds?.['outgoing'] === 'string' ? sounds['outgoing'] : null;
    const device = this.zone.runOutsideAngular(() => new sdk.Device(token, deviceOptions));
    markTiming('sb:device-created');
    this.device = device;
    this.deviceListeners = this.listenToDevice(device);
    this.deviceSubject.next({ kind: 'created', sdkVersion: sdk.Device.version });
    if (device.audio) this.audioSubject.next(deviceListsEvent(device.audio, []));
    return device;
  }

  private registerDevice(device: SdkDevice): Observable<void> {
    if (device.state === 'registered') return of(undefined);
    if (device.state === 'unregistered' && device.isBusy) {
      // Signaling dropped during a call: the SDK re-registers by itself once it reconnects (and resumes
      // the call). Calling register() now would be lost and cancel that, and a new Device would end the call.
      return sdkEvent(device, 'registered').pipe(
        map(() => undefined),
        take(1),
      );
    }
    if (device.state === 'registering') {
      return merge(
        sdkEvent(device, 'registered').pipe(map(() => undefined)),
        sdkEvent(device, 'unregistered').pipe(switchMap(() => throwError(() => new VoiceAdapterError(null, 'Registration did not complete')))),
      ).pipe(take(1));
    }
    markTiming('sb:register-start');
    return from(device.register()).pipe(
      map(() => {
        markTiming('sb:register-end');
        return undefined;
      }),
    );
  }

  private listenToDevice(device: SdkDevice): Subscription {
    return listenToDevice(device, {
      emitDevice: (event) => this.deviceSubject.next(event),
      emitAudio: (event) => this.audioSubject.next(event),
      isKnownCall: (call) => this.calls.idOf(call) !== null,
      incoming: (call) => this.onIncoming(call),
      destroyedBySdk: () => {
        if (this.device === device) this.destroy();
      },
      volumeThrottleMs: this.throttleMs,
      scheduler: this.scheduler,
    });
  }

  private onIncoming(call: SdkCall): void {
    const callId = this.calls.reserve();
    this.attachCall(callId, call);
    this.callSubject.next({
      kind: 'incoming',
      callId,
      callSid: call.parameters['CallSid'] ?? null,
      from: call.parameters['From'] ?? '',
      to: call.parameters['To'] ?? '',
      customParameters: Object.fromEntries(call.customParameters ?? new Map<string, string>()),
      isCallerVerified: call.callerInfo ? call.callerInfo.isVerified : null,
    });
  }

  // ---- calls ----------------------------------------------------------------------------------

  connect(request: OutgoingCallRequest): CallId {
    const device = this.device;
    if (!device) throw new VoiceAdapterError(null, 'The phone is not connected');
    const callId = this.calls.reserve();
    const params: Record<string, string> = { ...(request.params ?? {}), To: request.to };
    this.zone.runOutsideAngular(() => device.connect({ params })).then(
      (call) => {
        // Hung up (or signed out) before connect() resolved: end the late call.
        if (!this.calls.has(callId)) {
          call.disconnect();
          return;
        }
        this.attachCall(callId, call);
      },
      (error: unknown) => {
        if (!this.calls.has(callId)) return;
        const { code, message } = toSdkError(error);
        this.callSubject.next({ kind: 'error', callId, code, message });
        this.callSubject.next({ kind: 'disconnected', callId, callSid: null });
        this.calls.release(callId);
      },
    );
    return callId;
  }

  private attachCall(callId: CallId, call: SdkCall): void {
    const subscription = listenToCall(callId, call, {
      emitCall: (event) => this.callSubject.next(event),
      emitQuality: (event) => this.qualitySubject.next(event),
      emitMedia: (event) => this.mediaSubject.next(event),
      readMediaFacts: (sdkCall, codecHint) => this.readMediaFacts(sdkCall, codecHint),
      now: () => Date.now(),
      ended: () => this.calls.end(callId),
      onCallAudio: this.options.webRtc.onCallAudio,
      volumeThrottleMs: this.throttleMs,
      scheduler: this.scheduler,
    });
    this.calls.attach(callId, call, subscription);
  }

  private async readMediaFacts(call: SdkCall, codecHint: string | null): Promise<CallMediaFacts> {
    const device = this.device;
    const path = await readPathFacts(call);
    return toMediaFacts(path, codecHint, { edge: device?.edge ?? null, dscp: this.dscp, sdkVersion: this.sdkVersion, audio: device?.audio ?? null });
  }

  private callOrThrow(callId: CallId): SdkCall {
    const call = this.calls.get(callId);
    if (!call) throw new VoiceAdapterError(null, `No live call ${callId}`);
    return call;
  }

  accept(callId: CallId): void {
    this.callOrThrow(callId).accept();
  }

  reject(callId: CallId): void {
    this.callOrThrow(callId).reject();
  }

  ignore(callId: CallId): void {
    this.callOrThrow(callId).ignore();
    // ignore() emits nothing: forget the call here.
    this.calls.release(callId);
  }

  hangUp(callId: CallId): void {
    const call = this.calls.get(callId);
    if (!call) {
      // Dialing and connect() not resolved yet: forget the id; the late call is ended on arrival.
      if (this.calls.has(callId)) {
        this.calls.release(callId);
        this.callSubject.next({ kind: 'disconnected', callId, callSid: null });
        return;
      }
      throw new VoiceAdapterError(null, `No live call ${callId}`);
    }
    if (call.status() === 'pending') call.reject();
    else call.disconnect();
  }

  mute(callId: CallId): void {
    this.callOrThrow(callId).mute(true);
  }

  unmute(callId: CallId): void {
    this.callOrThrow(callId).mute(false);
  }

  sendDigits(callId: CallId, digits: string): void {
    this.callOrThrow(callId).sendDigits(digits);
  }

  sendMessage(callId: CallId, content: unknown, contentType?: string): string {
    return this.callOrThrow(callId).sendMessage({
      content,
      messageType: 'user-defined-message',
      ...(contentType ? { contentType } : {}),
    });
  }

  // ---- audio devices ----------------------------------------------------------------------------

  private audioOrThrow(): SdkAudioHelper {
    const audio = this.device?.audio;
    if (!audio) throw new VoiceAdapterError(null, 'Audio devices are available once the phone is connected');
    return audio;
  }

  setInputDevice(deviceId: string): Observable<void> {
    return defer(() => from(this.audioOrThrow().setInputDevice(deviceId)));
  }

  setOutputDevice(deviceId: string): Observable<void> {
    return defer(() => {
      const audio = this.audioOrThrow();
      if (!audio.isOutputSelectionSupported) return EMPTY;
      return from(audio.speakerDevices.set(deviceId));
    });
  }

  setRingtoneDevice(deviceId: string): Observable<void> {
    return defer(() => {
      const audio = this.audioOrThrow();
      // The SDK rejects with NotSupportedError there; the ringtone then plays where the browser plays all audio.
      if (!audio.isOutputSelectionSupported) return EMPTY;
      return from(audio.ringtoneDevices.set([deviceId]));
    });
  }

  testSpeaker(soundUrl: string | null): Observable<void> {
    return defer(() => from(this.audioOrThrow().speakerDevices.test(soundUrl ?? this.outgoingSoundUrl ?? undefined)));
  }

  // ---- issue 14: line test and rating ----------------------------------------------------------

  runPreflight(token: string, options: PreflightRunOptions = {}): Observable<PreflightEvent> {
    return defer(async () => {
      const sdk = await this.loadSdkOnce();
      const built = buildDeviceOptions(this.options, await this.loadClientConfig().catch(() => null));
      if (this.logLevel) built['logLevel'] = this.logLevel;
      // The edge the phone's Device uses (createDevice): the agent's preference, or the configured one.
      const edge = this.edgePreference === 'configured' ? built['edge'] : this.edgePreference;
      return { sdk, sdkOptions: preflightOptions(built, edge, options, sdk.Device) };
    }).pipe(
      // No SDK, or a configuration the phone could not use either: the test fails like the SDK's would.
      catchError((error: unknown) => of<PreflightEvent>({ kind: 'failed', ...toSdkError(error) })),
      switchMap((setup) => ('kind' in setup ? of(setup) : preflightEvents(setup.sdk, token, setup.sdkOptions, this.zone))),
    );
  }

  postFeedback(callId: CallId, score: FeedbackScore, issue: FeedbackIssue | null): Observable<void> {
    return defer(() => {
      const call = this.calls.getRecent(callId);
      if (!call) return throwError(() => new VoiceAdapterError(null, `No recent call ${callId}`));
      return from(call.postFeedback(score, issue ?? undefined));
    });
  }
}
