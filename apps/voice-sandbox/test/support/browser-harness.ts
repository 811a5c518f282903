import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import type { SandboxLog } from '@switchboard/sandbox-feature-signaling';
import { defaultConfig, type SandboxConfig } from '../../src/app/config';
import { startSandbox, type RunningSandbox } from '../../src/app/sandbox-app';
import { twimlEngineExtensions, type TwimlEngineExtensionOptions } from '../../src/app/twiml-wiring';
import { startPageServer } from './page-server';
import { bundleVoiceSdk } from './sdk-bundle';
import { startTwimlApp } from './twiml-app-stand-in';

/*
 * What every browser spec stands up: the sandbox in this process (with the real TwiML engine), the TwiML App
 * stand-in it calls, the page server with the bundled Voice SDK, and Debian's Chromium; plus the small
 * waits the specs share (an event recorded on a page, a condition polled until it holds).
 */

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
/** How long a spec waits for anything the sandbox or the SDK should do. */
export const WAIT_MS = 20_000;

/** An access token for the sandbox's account and TwiML App (a wrong `secret` makes a forged one). */
export function sandboxToken(identity: string, options: { ttl?: number; secret?: string } = {}): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(
    SANDBOX_CREDENTIALS.accountSid,
    SANDBOX_CREDENTIALS.apiKeySid,
    options.secret ?? SANDBOX_CREDENTIALS.apiKeySecret,
    { identity, ttl: options.ttl ?? 3600 },
  );
  accessToken.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return accessToken.toJwt();
}

/** Polls `probe` every 200 ms until it gives a truthy value, which it resolves with. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, waitMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the page driver has recorded `event` (e.g. `incoming`, `out:accept`, `in:disconnect`). */
export const hasEvent = (page: Page, event: string, timeout = WAIT_MS): Promise<void> =>
  page.waitForFunction(`t.has(${JSON.stringify(event)})`, undefined, { timeout }).then(() => undefined);

/** `caller` dials `to` with `t.connect`, `callee` accepts the incoming call, and the caller sees it accepted. */
export async function callAndAnswer(caller: Page, callee: Page, to = 'client:bob'): Promise<void> {
  await caller.evaluate(`t.connect({ To: ${JSON.stringify(to)} })`);
  await hasEvent(callee, 'incoming');
  await callee.evaluate('t.incoming.accept()');
  await hasEvent(caller, 'out:accept');
}

/** The caller hangs up its outgoing call and the callee's incoming call ends. */
export async function hangUp(caller: Page, callee: Page): Promise<void> {
  await caller.evaluate('t.call.disconnect()');
  await hasEvent(callee, 'in:disconnect');
}

/** Ends every call of the pages' Devices and clears what the page driver recorded, between tests. */
export async function resetDevices(pages: readonly Page[]): Promise<void> {
  await Promise.all(pages.map((p) => p.evaluate('t.device.disconnectAll(); t.reset()')));
}

/** What the SDK calls the sandbox's ICE restart: a `reinvite` offering new ICE credentials, on each page's call. */
export async function restartIce(pages: readonly Page[]): Promise<void> {
  await Promise.all(pages.map((page) => page.evaluate('t.call ? t.call._mediaHandler.iceRestart() : t.incoming._mediaHandler.iceRestart()')));
}

/** POST JSON over the sandbox's own (self-signed) HTTPS, on loopback; the answer is JSON too. */
export function postJson<Answer = unknown>(url: string, body: unknown): Promise<{ status: number; body: Answer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Answer }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** GET over the sandbox's HTTPS with Basic auth (account SID + auth token), as a developer fetches a RecordingUrl. */
export function getWithBasicAuth(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const auth = Buffer.from(`${SANDBOX_CREDENTIALS.accountSid}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, headers: { authorization: `Basic ${auth}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface BrowserHarnessOptions {
  /** Prefix of the sandbox's temporary data directory (its TLS certificate, recordings). */
  readonly dataDirPrefix: string;
  /** Whether the sandbox's fault hooks (/sandbox/faults/…) are on. */
  readonly faults?: boolean;
  readonly log?: SandboxLog;
  /** Options of the TwiML engine wiring, e.g. `onInboundCall`. */
  readonly engine?: TwimlEngineExtensionOptions;
  /** Further changes to the sandbox's config, which already points every application's voiceUrl at the stand-in. */
  readonly configure?: (config: SandboxConfig, twimlApp: TwimlAppStandIn) => SandboxConfig;
}

export type TwimlAppStandIn = Awaited<ReturnType<typeof startTwimlApp>>;

export interface BrowserHarness {
  readonly sandbox: RunningSandbox;
  readonly twimlApp: TwimlAppStandIn;
  readonly browser: Browser;
  readonly dataDir: string;
  /** A fresh browser context on the test page; `onRequest` sees the URL of every request the page makes. */
  openPage(onRequest?: (url: string) => void): Promise<Page>;
  /** The sandbox's Device options (its signaling host on loopback) with `extra`, at log level warn. */
  deviceOptions(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Opens a page and starts a Device on it with `t.start`; `state` is `registered` or `failed:<codes>`. */
  openDevice(jwt: string, extraOptions?: Record<string, unknown>, onRequest?: (url: string) => void): Promise<{ page: Page; state: string }>;
  close(): Promise<void>;
}

export async function startBrowserHarness(options: BrowserHarnessOptions): Promise<BrowserHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  const contexts: BrowserContext[] = [];
  let twimlApp: TwimlAppStandIn | undefined;
  let sandbox: RunningSandbox | undefined;
  let pageServer: Awaited<ReturnType<typeof startPageServer>> | undefined;
  let browser: Browser | undefined;

  async function close(): Promise<void> {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await pageServer?.close();
    await sandbox?.close();
    await twimlApp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const standIn = twimlApp;
    const base = defaultConfig();
    const config: SandboxConfig = {
      ...base,
      port: 0,
      dataDir,
      ...(options.faults ? { faults: true } : {}),
      applications: base.applications.map((a) => ({ ...a, voiceUrl: standIn.url })),
    };
    sandbox = await startSandbox(options.configure?.(config, standIn) ?? config, {
      log: options.log ?? (() => undefined),
      ...twimlEngineExtensions(options.engine),
    });
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (error) {
    await close();
    throw error;
  }

  const running = { sandbox, twimlApp, browser, pageUrl: pageServer.url };

  async function openPage(onRequest?: (url: string) => void): Promise<Page> {
    const context = await running.browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    if (onRequest) context.on('request', (request) => onRequest(request.url()));
    const page = await context.newPage();
    await page.goto(running.pageUrl);
    return page;
  }

  function deviceOptions(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${running.sandbox.port}` }), ...extra, logLevel: 'warn' };
  }

  async function openDevice(
    jwt: string,
    extraOptions: Record<string, unknown> = {},
    onRequest?: (url: string) => void,
  ): Promise<{ page: Page; state: string }> {
    const page = await openPage(onRequest);
    const state = (await page.evaluate(`t.start(${JSON.stringify(jwt)}, ${JSON.stringify(deviceOptions(extraOptions))})`)) as string;
    return { page, state };
  }

  return { sandbox: running.sandbox, twimlApp: running.twimlApp, browser: running.browser, dataDir, openPage, deviceOptions, openDevice, close };
}
