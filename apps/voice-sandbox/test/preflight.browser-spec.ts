import { Agent } from 'node:https';
import type { Page } from 'playwright-core';
import twilio, { RequestClient } from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { getWithBasicAuth, hasEvent, postJson, sandboxToken, startBrowserHarness, until, type BrowserHarness } from './support/browser-harness';
import { OUTGOING_PATH } from './support/twiml-app-stand-in';

/*
 * The line test: the SDK's own `Device.runPreflight(token, options)` against the sandbox, in Chromium. It builds a second
 * Device (`preflight: true`) of the same identity as the agent's phone, registers it beside the phone, places a call with
 * no params, which the TwiML App answers as the API's outgoing webhook answers a line test (`<Say>` + `<Pause>`, then the
 * document ends, so the call ends), and reports on what its peer connection measured (samples, MOS, network timing).
 *
 * The preflight Device takes only chunderw, codecPreferences, edge, eventgw, fileInputStream and logLevel from the caller,
 * and two of its defaults leave the machine: it publishes to Insights (`eventgw` does not help: on `connected` the SDK
 * re-points its publisher at eventgw[.<home>].twilio.com whatever the option said) and loads its sounds from
 * sdk.twilio.com. The SDK's private `deviceFactory` option is the only way to give the preflight Device the sandbox
 * options the phone has (`publishEvents: false`, `sounds`); the test does so and checks every request the page makes
 * stays on loopback.
 */

const LINE_TEST_TWIML = '<Say>This is a line test. Stay on the line.</Say><Pause length="10"/>';

interface PreflightOutcome {
  readonly status: 'completed' | 'failed';
  readonly error?: string;
  readonly report?: {
    callSid?: string;
    callQuality?: string;
    samples: unknown[];
    networkTiming: Record<string, { start?: number; end?: number; duration?: number } | undefined>;
    stats?: { mos: { average: number; min: number; max: number }; rtt: { average: number }; jitter: { average: number } };
    totals?: { packetsLost: number; packetsReceived: number };
    edge?: string;
  };
  readonly events: string[];
}

type PreflightReport = NonNullable<PreflightOutcome['report']>;

/** The report of a preflight that completed (a failed one fails the test with its error). */
function completedReport(outcome: PreflightOutcome): PreflightReport {
  if (outcome.status !== 'completed' || !outcome.report) throw new Error(`The line test ${outcome.status}: ${outcome.error ?? 'no report'}`);
  return outcome.report;
}

/** Starts `Device.runPreflight` on the page; `t.preflightOutcome` settles on `completed` or `failed`. */
function startPreflight(page: Page, token: string, options: Record<string, unknown>): Promise<void> {
  return page.evaluate(`(() => {
    const { sounds, publishEvents, ...preflightOptions } = ${JSON.stringify(options)};
    // The preflight Device is built from a fixed set of options; a deviceFactory is the only way to give it these.
    class SandboxDevice extends Twilio.Device {
      constructor(token, deviceOptions) { super(token, { ...deviceOptions, sounds, publishEvents }); }
    }
    const events = [];
    const test = Twilio.Device.runPreflight(${JSON.stringify(token)}, { ...preflightOptions, deviceFactory: SandboxDevice });
    t.preflight = test;
    for (const name of ['connected', 'sample', 'warning']) test.on(name, (w) => events.push(name === 'warning' ? 'warning:' + w : name));
    t.preflightOutcome = new Promise((resolve) => {
      test.on('completed', (report) => resolve({ status: 'completed', report: JSON.parse(JSON.stringify(report)), events }));
      test.on('failed', (error) => resolve({ status: 'failed', error: String((error && (error.code || error.message)) || error), events }));
    });
  })()`);
}

/** As the API's BaseUrlRequestClient: the twilio client's insights.twilio.com requests go to the sandbox. */
class SandboxRequestClient extends RequestClient {
  constructor(private readonly base: string) {
    super();
    // The sandbox's certificate is self-signed (the API accepts it in sandbox mode only, as here).
    this.axios.defaults.httpsAgent = new Agent({ rejectUnauthorized: false });
  }

  override request<TData>(opts: TwilioRequestClient.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.base}${url.pathname}${url.search}` });
  }
}

describe('line test: Device.runPreflight against the sandbox', () => {
  let harness: BrowserHarness;
  let phone: Page;
  const offLoopback: string[] = [];

  /** The phone's options, as the softphone passes them to runPreflight (plus what only a deviceFactory can set). */
  const preflightOptions = () => ({ ...harness.deviceOptions(), codecPreferences: ['opus', 'pcmu'] });
  const summaryClient = () =>
    twilio(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.authToken, { httpClient: new SandboxRequestClient(harness.sandbox.url) });

  async function runLineTest(onConnected?: (callSid: string) => Promise<void>): Promise<PreflightOutcome> {
    await startPreflight(phone, sandboxToken('alice'), preflightOptions());
    if (onConnected) {
      const callSid = await until('the preflight call to connect', () => phone.evaluate<string | undefined>('t.preflight.status === "connected" && t.preflight.callSid'));
      await onConnected(callSid);
    }
    return phone.evaluate<PreflightOutcome>('t.preflightOutcome');
  }

  beforeAll(async () => {
    harness = await startBrowserHarness({
      dataDirPrefix: 'voice-sandbox-preflight-',
      faults: true,
    });
    // The API's outgoing webhook: a call without `To` from an authenticated agent is a line test.
    harness.twimlApp.routes.set(OUTGOING_PATH, (params) => (params['To'] ? undefined : LINE_TEST_TWIML));
    const opened = await harness.openDevice(sandboxToken('alice'), {}, (url) => {
      if (!/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) && !url.startsWith('data:') && !url.startsWith('blob:')) offLoopback.push(url);
    });
    if (opened.state !== 'registered') throw new Error(`alice did not register: ${opened.state}`);
    phone = opened.page;
  });

  afterAll(() => harness?.close());

  it('completes with a CallSid, samples, a call quality and network timing; the phone stays registered beside it', async () => {
    const outcome = await runLineTest(async () => {
      // Both Devices of alice are registered while the line test runs.
      const registrations = harness.sandbox.signaling.registrations();
      expect(registrations['alice']).toBe(2);
    });
    const report = completedReport(outcome);
    expect(report.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(report.samples.length).toBeGreaterThan(3);
    expect(['excellent', 'great', 'good', 'fair', 'degraded']).toContain(report.callQuality);
    expect(report.stats?.mos.average).toBeGreaterThan(3.5);
    for (const step of ['signaling', 'ice', 'dtls', 'peerConnection'] as const) {
      expect(report.networkTiming[step]).toMatchObject({ start: expect.any(Number), duration: expect.any(Number) });
    }
    // The call ended because the TwiML did: the voice URL was asked once, without To, and the leg completed.
    const asked = harness.twimlApp.requests.filter((r) => r.path === OUTGOING_PATH && r.params['CallSid'] === report.callSid);
    expect(asked).toHaveLength(1);
    // Twilio's webhook for an SDK call placed without a `To` param carries an empty To.
    expect(asked[0].params['To'] ?? '').toBe('');
    const summary = await summaryClient().insights.v1.calls(report.callSid ?? '').summary().fetch();
    expect(summary).toMatchObject({ callType: 'client', callState: 'completed', processingState: 'complete' });
    expect(summary.properties).toMatchObject({ disconnected_by: 'callee', direction: 'inbound' });
    expect(summary.tags).not.toContain('high_packet_loss');
    // The same resource as raw JSON, in Twilio's snake_case names.
    const raw = await getWithBasicAuth(`${harness.sandbox.url}/v1/Voice/${report.callSid ?? ''}/Summary`);
    expect(raw.status).toBe(200);
    const body = JSON.parse(raw.body.toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({ call_sid: report.callSid, call_type: 'client', processing_state: 'complete', sdk_edge: null });
    process.stdout.write(`[preflight] clean: quality=${report.callQuality} mos=${JSON.stringify(report.stats?.mos)}\n[preflight] summary JSON: ${JSON.stringify(body)}\n`);
    // The line test's Device went away; the phone's registration was never replaced.
    await until('the preflight Device to unregister', async () => harness.sandbox.signaling.registrations()['alice'] === 1);
    expect(offLoopback).toEqual([]);
  }, 60_000);

  it('with 20 % packet loss injected during the line test: loss in the report, worse MOS, high_packet_loss in the Call Summary', async () => {
    const outcome = await runLineTest(async (callSid) => {
      const fault = await postJson(`${harness.sandbox.url}/sandbox/faults/packet-loss`, { callSid, percent: 20, seconds: 60 });
      expect(fault.status).toBe(200);
    });
    const report = completedReport(outcome);
    expect(report.totals?.packetsLost).toBeGreaterThan(0);
    expect(report.stats?.mos.average).toBeLessThan(4);
    expect(outcome.events).toContain('sample');
    const summary = await summaryClient().insights.v1.calls(report.callSid ?? '').summary().fetch();
    expect(summary.tags).toContain('high_packet_loss');
    expect(summary.clientEdge.metrics.inbound.packets_loss_percentage).toBeGreaterThan(5);
    process.stdout.write(`[preflight] 20 % loss: quality=${report.callQuality} mos=${JSON.stringify(report.stats?.mos)} tags=${JSON.stringify(summary.tags)}\n`);
    expect(offLoopback).toEqual([]);
  }, 60_000);

  it('a call from the phone still works after the line tests (its registration was never replaced)', async () => {
    harness.twimlApp.routes.set(OUTGOING_PATH, () => '<Say>still here</Say>');
    await phone.evaluate('t.reset(); t.connect({ To: "+14155550111" })');
    await hasEvent(phone, 'out:disconnect');
  });
});
