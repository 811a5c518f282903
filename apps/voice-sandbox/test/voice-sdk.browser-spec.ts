import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { defaultConfig, type SandboxConfig } from '../src/app/config';
import { startSandbox, type RunningSandbox } from '../src/app/sandbox-app';
import { startPageServer } from './support/page-server';
import { bundleVoiceSdk } from './support/sdk-bundle';
import { twimlEngineExtensions } from '../src/app/twiml-wiring';
import { startTwimlApp } from './support/twiml-app-stand-in';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const WAIT_MS = 20_000;

function token(identity: string, options: { ttl?: number; secret?: string } = {}): string {
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

/** A JWT signed with the real secret but already expired (twilio's AccessToken refuses ttl ≤ 0). */
function expiredToken(identity: string): string {
  const [header, body] = token(identity).split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const expired = Buffer.from(JSON.stringify({ ...claims, iat: now - 120, exp: now - 60 })).toString('base64url');
  const signature = createHmac('sha256', SANDBOX_CREDENTIALS.apiKeySecret).update(`${header}.${expired}`).digest('base64url');
  return `${header}.${expired}.${signature}`;
}

/** POST a fault hook over the sandbox's own (self-signed) HTTPS, on loopback. */
function postFault(name: string, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${sandboxUrl}/sandbox/faults/${name}`,
      { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
let sandboxUrl = '';

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the real Voice SDK against the sandbox', () => {
  let browser: Browser;
  let sandbox: RunningSandbox;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let twimlApp: Awaited<ReturnType<typeof startTwimlApp>>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const requestedUrls: string[] = [];
  let alice: Page;
  let bob: Page;

  async function agent(identity: string, jwt: string): Promise<{ page: Page; state: string }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    context.on('request', (request) => requestedUrls.push(request.url()));
    const page = await context.newPage();
    await page.goto(pageServer.url);
    const options = {
      ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${sandbox.port}` }),
      codecPreferences: ['opus', 'pcmu'],
      maxCallSignalingTimeoutMs: 30_000,
      logLevel: 'warn',
    };
    const state = (await page.evaluate(`t.start(${JSON.stringify(jwt)}, ${JSON.stringify(options)})`)) as string;
    return { page, state };
  }

  const has = (page: Page, event: string): Promise<void> =>
    page.waitForFunction(`t.has(${JSON.stringify(event)})`, undefined, { timeout: WAIT_MS }).then(() => undefined);

  async function audioFlowing(page: Page): Promise<{ bytesReceived: number; audioLevel: number }> {
    let last: unknown;
    return until(`inbound audio (last stats ${JSON.stringify(last)})`, async () => {
      const stats = (await page.evaluate('t.inboundAudio()')) as { bytesReceived: number; audioLevel: number } | null;
      last = stats;
      return stats && stats.bytesReceived > 0 && stats.audioLevel > 0 ? stats : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last stats ${JSON.stringify(last)}`);
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-test-'));
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const base = defaultConfig();
    const config: SandboxConfig = {
      ...base,
      port: 0,
      dataDir,
      faults: true,
      applications: base.applications.map((a) => ({ ...a, voiceUrl: twimlApp.url })),
    };
    const logs: unknown[] = [];
    sandbox = await startSandbox(config, {
      log: (event, fields) => {
        logs.push({ event, ...fields });
        if (process.env['SANDBOX_TEST_LOG']) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
      },
      // The product wiring: the real TwiML engine fetches the stand-in TwiML App with signed webhooks.
      ...twimlEngineExtensions(),
    });
    sandboxUrl = sandbox.url;
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    alice = (await agent('alice', token('alice'))).page;
    bob = (await agent('bob', token('bob'))).page;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await pageServer?.close();
    await sandbox?.close();
    await twimlApp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await Promise.all([alice, bob].map((p) => p.evaluate('t.device.disconnectAll(); t.reset()')));
  });

  it('registers two clients', async () => {
    const registrations = await until('two registrations', async () => {
      const r = sandbox.signaling.registrations();
      return r['alice'] === 1 && r['bob'] === 1 ? r : undefined;
    });
    expect(registrations).toEqual({ alice: 1, bob: 1 });
  });

  it('calls alice → bob: rings, is accepted, audio flows both ways, hangs up on both sides', async () => {
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: { ticket: 'T-42' } };
    await alice.evaluate(`t.connect({ To: 'client:bob', reason: 'browser test' })`);
    await has(bob, 'incoming');
    await has(alice, 'out:ringing');
    expect(await bob.evaluate(`t.incoming.customParameters.get('ticket')`)).toBe('T-42');
    const webhook = twimlApp.requests[twimlApp.requests.length - 1];
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.params).toMatchObject({ From: 'client:alice', To: 'client:bob', reason: 'browser test', Direction: 'inbound' });

    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
    const [aliceHears, bobHears] = await Promise.all([audioFlowing(alice), audioFlowing(bob)]);
    expect(aliceHears.bytesReceived).toBeGreaterThan(0);
    expect(bobHears.audioLevel).toBeGreaterThan(0);

    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
    const legs = sandbox.core.listLegs();
    expect(legs.slice(0, 2).map((l) => l.status)).toEqual(['completed', 'completed']);
  });

  it('bob rejects: alice is disconnected and the child leg ends busy', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.reject()');
    await has(alice, 'out:disconnect');
    const child = sandbox.core.listLegs().find((l) => l.direction === 'outbound-dial');
    expect(child?.status).toBe('busy');
  });

  it('alice cancels while bob rings: bob gets cancel', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:cancel');
    const child = sandbox.core.listLegs().find((l) => l.direction === 'outbound-dial');
    expect(child?.status).toBe('canceled');
  });

  it('survives a dropped WebSocket mid-call (reconnecting → reconnected)', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
    expect(await postFault('drop-socket', { identity: 'alice' })).toEqual({ status: 200, body: { affected: 1 } });
    await has(alice, 'out:reconnecting');
    await has(alice, 'out:reconnected');
    await audioFlowing(bob);
    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
  });

  it('an expired token gives 20104 and a forged one 20101, and register() does not hang', async () => {
    const expired = await agent('carol', expiredToken('carol'));
    expect(expired.state).toBe('failed:20104');
    const forged = await agent('mallory', token('mallory', { secret: 'not-the-real-secret-0123456789abcdef' }));
    expect(forged.state).toBe('failed:20101');
  });

  it('made no request that left loopback', () => {
    expect(requestedUrls.length).toBeGreaterThan(0);
    const foreign = requestedUrls.filter((url) => !['127.0.0.1', 'localhost'].includes(new URL(url).hostname));
    expect(foreign).toEqual([]);
  });
});
