import type { NgZone } from '@angular/core';
import { PREFLIGHT_CALL_QUALITIES, type PreflightCallQuality, type QualityFigureSummary } from '@switchboard/shared-contracts';
import type { PreflightEvent, PreflightReportData, PreflightRunOptions } from '@switchboard/softphone-data-access-voice';
import { Observable, Subscription } from 'rxjs';
import { toSample } from './call-listeners';
import { toSdkError } from './sdk-error';
import { sdkEvent } from './sdk-event';
import type { SdkDeviceConstructor, SdkPreflightTest, VoiceSdkModule } from './sdk-types';

const NO_FIGURES: QualityFigureSummary = { min: null, avg: null, max: null };

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function figures(value: unknown): QualityFigureSummary {
  const v = record(value);
  if (Object.keys(v).length === 0) return NO_FIGURES;
  return { min: num(v['min']), avg: num(v['average']), max: num(v['max']) };
}

function isCallQuality(value: unknown): value is PreflightCallQuality {
  return typeof value === 'string' && (PREFLIGHT_CALL_QUALITIES as readonly string[]).includes(value);
}

/** PreflightTest.Report (preflight.ts `_getReport`) → plain data. */
export function toPreflightReport(raw: unknown, now: number): PreflightReportData {
  const report = record(raw);
  const stats = record(report['stats']);
  const totals = record(report['totals']);
  const timing = record(report['networkTiming']);
  const testTiming = record(report['testTiming']);
  const duration = (key: string) => num(record(timing[key])['duration']);
  const warnings = Array.isArray(report['warnings']) ? report['warnings'].map((w) => record(w)['name']).filter((n): n is string => typeof n === 'string') : [];
  return {
    callSid: typeof report['callSid'] === 'string' ? report['callSid'] : null,
    edge: typeof report['edge'] === 'string' ? report['edge'] : null,
    callQuality: isCallQuality(report['callQuality']) ? report['callQuality'] : null,
    mos: figures(stats['mos']),
    rtt: figures(stats['rtt']),
    jitter: figures(stats['jitter']),
    // statsMonitor's packetsLostFraction is already a percentage.
    packetLossPercent: num(totals['packetsLostFraction']),
    timing: { signalingMs: duration('signaling'), iceMs: duration('ice'), dtlsMs: duration('dtls'), peerConnectionMs: duration('peerConnection') },
    warnings,
    startedAt: num(testTiming['start']) ?? now,
    endedAt: num(testTiming['end']) ?? now,
  };
}

/**
 * Device options → the PreflightTest's. It builds its own Device from only chunderw, codecPreferences, edge,
 * eventgw and logLevel (preflight.ts `_initDevice`) and passes rtcConfiguration to connect(): exactly those
 * are taken from the phone's options, so the test uses the phone's edge, codecs and signaling host.
 *
 * Sandbox mode: the test's Device cannot be given `publishEvents: false` or the sandbox's `sounds` through its
 * options, and `eventgw` does not help (on `connected` the SDK re-points its publisher at
 * eventgw[.<home>].twilio.com whatever the option said), so a sandbox run would talk to Twilio. The SDK's
 * `deviceFactory` option (PreflightTest.ExtendedOptions, private but read by `_initDevice`) is the one way in:
 * a Device subclass that adds the phone's sandbox options. The voice sandbox's preflight browser spec proves a
 * run with it never leaves loopback.
 */
export function preflightOptions(
  deviceOptions: Readonly<Record<string, unknown>>,
  edge: unknown,
  run: PreflightRunOptions,
  Device?: SdkDeviceConstructor,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const key of ['codecPreferences', 'logLevel', 'chunderw', 'rtcConfiguration', 'iceServers'] as const) {
    if (deviceOptions[key] !== undefined) options[key] = deviceOptions[key];
  }
  options['edge'] = edge;
  if (typeof deviceOptions['chunderw'] === 'string' && deviceOptions['publishEvents'] === false) {
    options['eventgw'] = deviceOptions['chunderw'];
    if (Device) options['deviceFactory'] = sandboxDeviceFactory(Device, { publishEvents: false, sounds: deviceOptions['sounds'] });
  }
  if (run.fakeMicInput) options['fakeMicInput'] = true;
  return options;
}

/** A Device class that always adds `extra` to the options it is built with (undefined values left out). */
export function sandboxDeviceFactory(Device: SdkDeviceConstructor, extra: Readonly<Record<string, unknown>>): SdkDeviceConstructor {
  const added = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined));
  // A subclass rather than a wrapper: the SDK calls `new options.deviceFactory(token, options)` and uses the
  // instance as a Device.
  const Base = Device as unknown as new (token: string, options?: Record<string, unknown>) => object;
  class SandboxPreflightDevice extends Base {
    constructor(token: string, options: Record<string, unknown> = {}) {
      super(token, { ...options, ...added });
    }
  }
  return SandboxPreflightDevice as unknown as SdkDeviceConstructor;
}

/** Runs one PreflightTest; unsubscribing before it ends stops it (its call is hung up). */
export function preflightEvents(sdk: VoiceSdkModule, token: string, options: Record<string, unknown>, zone: Pick<NgZone, 'runOutsideAngular'>, now: () => number = Date.now): Observable<PreflightEvent> {
  return new Observable<PreflightEvent>((subscriber) => {
    let test: SdkPreflightTest;
    try {
      test = zone.runOutsideAngular(() => sdk.Device.runPreflight(token, options));
    } catch (error: unknown) {
      subscriber.next({ kind: 'failed', ...toSdkError(error) });
      subscriber.complete();
      return undefined;
    }
    let settled = false;
    const subscription = new Subscription();
    const finish = (event: PreflightEvent) => {
      settled = true;
      subscriber.next(event);
      subscriber.complete();
    };
    subscription.add(sdkEvent(test, 'connected').subscribe(() => subscriber.next({ kind: 'connected', callSid: test.callSid ?? null })));
    subscription.add(sdkEvent<[Record<string, unknown>]>(test, 'sample').subscribe(([sample]) => subscriber.next({ kind: 'sample', sample: toSample(sample ?? {}) })));
    subscription.add(
      sdkEvent<[unknown]>(test, 'warning').subscribe(([warning]) => {
        const w = record(warning);
        subscriber.next({ kind: 'warning', name: String(w['name'] ?? 'warning'), description: String(w['description'] ?? '') });
      }),
    );
    subscription.add(sdkEvent<[unknown]>(test, 'completed').subscribe(([report]) => finish({ kind: 'completed', report: toPreflightReport(report, now()) })));
    subscription.add(sdkEvent<[unknown]>(test, 'failed').subscribe(([error]) => finish({ kind: 'failed', ...toSdkError(error) })));
    return () => {
      subscription.unsubscribe();
      if (!settled) {
        try {
          test.stop();
        } catch {
          // Already over: nothing to stop.
        }
      }
    };
  });
}
