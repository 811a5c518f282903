import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallCore, ScriptedPhoneNetwork } from '@switchboard/sandbox-data-access-calls';
import { SignalingServer, createSdkPeers, type OutgoingCallRequest, type SandboxLog } from '@switchboard/sandbox-feature-signaling';
import { MediaStatsRegistry, WebRtcMediaEngine, isSdkSoundName, sdkSoundWav } from '@switchboard/sandbox-media';
import { systemClock, type MediaLegStats, type SdkMessageChannel } from '@switchboard/sandbox-model';
import type { SandboxConfig } from './config';
import { ADMIN_PREFIX, guardAdminRequest } from './admin-guard';
import { handleFault } from './faults';

export type { OutgoingCallRequest } from '@switchboard/sandbox-feature-signaling';
import { HttpError, sendJson, sendLandingPage } from './http-util';
import { loadOrCreateTls } from './tls';

/** A route handler another lib contributes (REST subset, inbound-call admin); true when it handled the request. */
export type SandboxRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface SandboxParts {
  readonly config: SandboxConfig;
  readonly core: CallCore;
  readonly log: SandboxLog;
  /** https://<host>:<port> as the sandbox is reached (known once it listens). */
  readonly publicOrigin: string;
  /** Call messages on SDK legs (the REST subset's UserDefinedMessages and subscriptions). */
  readonly callMessages?: SdkMessageChannel;
  /** What the sandbox measured on a leg's media (SDK legs), live or after it ended, for the Call Summary. */
  readonly mediaStats?: (callSid: string) => MediaLegStats | undefined;
}

export interface SandboxExtensions {
  /** Runs the TwiML App on an outgoing SDK call. Without one, outgoing calls are hung up with a log line. */
  readonly outgoingCalls?: (parts: SandboxParts) => (request: OutgoingCallRequest) => void;
  /** Extra routes (mounted before the sandbox's own 404), e.g. /2010-04-01/* and POST /sandbox/inbound. */
  readonly routes?: (parts: SandboxParts) => readonly SandboxRoute[];
  readonly log?: SandboxLog;
}

export interface RunningSandbox extends SandboxParts {
  readonly signaling: SignalingServer;
  readonly port: number;
  /** https://127.0.0.1:<port> */
  readonly url: string;
  close(): Promise<void>;
}

export const jsonLineLog: SandboxLog = (event, fields) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
};

/** How long an idle keep-alive connection stays open (see startSandbox). */
export const IDLE_CONNECTION_MS = 120_000;

export async function startSandbox(config: SandboxConfig, extensions: SandboxExtensions = {}): Promise<RunningSandbox> {
  const log = extensions.log ?? jsonLineLog;
  const tls = await loadOrCreateTls(config.dataDir, config.tls);
  if (tls.generated) log('tls.generated', { dir: `${config.dataDir}/tls` });
  // The API that serves the softphone is the one the TwiML App's webhooks go to.
  const softphoneOrigin = originOf(config.applications[0]?.voiceUrl);

  // Listen first: the parts the extensions get need the public origin, which needs the port.
  const server: Server = createServer({ cert: tls.cert, key: tls.key });
  // Twilio's API keeps idle HTTPS connections open far longer than Node's 5 s default. With 5 s, a REST client
  // that reuses keep-alive sockets (the twilio library's agent has no idle limit) races the server's close and
  // its request fails with ECONNRESET: the API's first hold after a few quiet seconds failed so in an e2e run.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${config.host}:${port}`;

  // Built in dependency order, each part complete when constructed (this runs before any request
  // can arrive: the listen callback's continuation is a microtask).
  const clock = systemClock;
  const mediaStats = new MediaStatsRegistry();
  const media = new WebRtcMediaEngine(config.announcedIp, log, mediaStats);
  const peers = createSdkPeers({ media, clock, log });
  const phones = new ScriptedPhoneNetwork({ numbers: config.scriptedNumbers, clock });
  const core = new CallCore({ clients: peers.network, phones, clock });
  const parts: SandboxParts = {
    config, core, log, publicOrigin: url, callMessages: peers.messages, mediaStats: (callSid) => mediaStats.get(callSid),
  };
  const signaling = new SignalingServer({
    peers,
    core,
    clock,
    apiKeys: config.apiKeys,
    applicationExists: (accountSid, sid) => config.applications.some((a) => a.sid === sid && a.accountSid === accountSid),
    onOutgoingCall: extensions.outgoingCalls?.(parts) ?? hangUpWithoutEngine(log),
    log,
  });
  const routes = extensions.routes?.(parts) ?? [];

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log('http.error', { url: req.url, error: String(error) });
      if (!res.headersSent) sendJson(res, status, { code: status, message: (error as Error).message });
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'https://sandbox').pathname;
    if (path === '/signal') signaling.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const sound = /^\/sounds\/([a-z0-9]+)\.wav$/.exec(url.pathname);
    if (req.method === 'GET' && sound && isSdkSoundName(sound[1])) {
      const wav = sdkSoundWav(sound[1]);
      // The SDK fetches sounds with XHR / crossorigin="anonymous" from the app's own origin.
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length, 'access-control-allow-origin': '*' });
      res.end(wav);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') return sendLandingPage(res, softphoneOrigin);
    // Health stays open: a person opens it in the browser to accept the certificate (README).
    if (req.method === 'GET' && url.pathname === '/sandbox/health') return sendJson(res, 200, { ok: true });
    if (url.pathname.startsWith(ADMIN_PREFIX)) guardAdminRequest(req);
    if (req.method === 'GET' && url.pathname === '/sandbox/calls') {
      return sendJson(res, 200, { registrations: signaling.registrations(), legs: core.listLegs() });
    }
    const fault = /^\/sandbox\/faults\/([a-z-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && fault) return handleFault(fault[1], req, res, signaling, config.faults);
    for (const extra of routes) if (await extra(req, res, url)) return;
    throw new HttpError(404, `No route for ${req.method} ${url.pathname}`);
  }

  return {
    ...parts,
    signaling,
    port,
    url,
    close: async () => {
      signaling.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function hangUpWithoutEngine(log: SandboxLog): (request: OutgoingCallRequest) => void {
  return (request) => {
    log('call.no-twiml-engine', { callSid: request.leg.callSid });
    request.leg.hangup();
  };
}

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}
