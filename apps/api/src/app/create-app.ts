import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import { ArgumentsHost, Catch, LoggerService, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  contentSecurityPolicyDirectives, inlineEventHandlers, registerBrowserBoundary, registerSecurityHeaders, type BrowserBoundaryOptions,
} from '@switchboard/api-http-boundary';
import type { AppConfig } from '@switchboard/api-data-access-config';
import { ApiExceptionFilter, createValidationPipe } from '@switchboard/api-http-boundary';
import { lazyChildLoggerFactory, privacyLogOptions, PRIVACY_REDACT_PATHS } from '@switchboard/api-http-boundary';
import { API_ROUTES, SESSION_COOKIE } from '@switchboard/shared-contracts';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';

/** Paths never redacted-out of logs but whose values are: tokens, passwords, cookies, signatures. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  'password',
  'token',
  '*.password',
  '*.token',
];

export interface CreateAppOptions {
  readonly config: AppConfig;
  readonly databaseSearchPath?: string;
  /** Where JSON logs go (tests capture them); stdout by default. */
  readonly logStream?: Writable;
}

/** Builds the whole API (main.ts and the tests share this). The caller listens. */
export async function createApp({ config, databaseSearchPath, logStream }: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Webhook form posts are a few KB; a larger body is refused with 413 before any work.
    bodyLimit: config.http.bodyLimitBytes,
    // A client that sends its request slowly, or nothing at all, must not hold a socket forever.
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.connectionTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // Node looks for requests past their deadline every connectionsCheckingInterval (30 s by default).
    http: {
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.http.requestTimeoutMs / 4))),
      headersTimeout: Math.min(60_000, config.http.requestTimeoutMs),
    },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // request.ip (the sign-in limits' source address) comes from X-Forwarded-For only when the peer is
    // one of TRUSTED_PROXIES; otherwise a client could pick its own address and dodge the limits.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    // Each request's child logger (request id binding, redacted) is made only when the request logs a line.
    childLoggerFactory: lazyChildLoggerFactory,
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: { paths: [...LOG_REDACT_PATHS, ...PRIVACY_REDACT_PATHS], censor: '[redacted]' },
      // Phone numbers, identities and SQL parameters masked in every message and logged error.
      ...privacyLogOptions(),
      serializers: {
        // Headers are logged for diagnosis; the secret ones are redacted above. Never bodies.
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: request.url.split('?')[0],
          headers: { ...request.headers },
        }),
      },
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, databaseSearchPath }), adapter, {
    bufferLogs: true,
    abortOnError: false, // throw to the caller (main prints it and exits; tests see it)
  });
  // Nest's own messages go through the same pino logger, so every line is JSON.
  app.useLogger(new PinoLoggerService(app.getHttpAdapter().getInstance().log));
  await app.register(fastifyCookie);
  app.useGlobalPipes(createValidationPipe());

  const staticDir = resolveStaticDir(config.staticDir);
  await registerBrowserProtections(app, config, staticDir);
  if (staticDir) {
    // `wildcard: false` registers one route per file at start-up: no fs.stat on API requests
    // (research/performance.md, trap 3). Hashed build files never change, so they are cached forever.
    // Loaded only when there is a client to serve: an API-only process starts without it (cold start).
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: false,
      setHeaders: (reply, path) => {
        void reply.header('Cache-Control', /[.-][A-Za-z0-9]{8,}\.(js|css|woff2?|png|svg|ico)$/.test(path)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache');
      },
    });
  }
  app.useGlobalFilters(staticDir ? new SpaFallbackFilter() : new ApiExceptionFilter());

  if (config.browser.apiDocs) {
    // Built on the first /docs request, not at boot: building it at boot left the idle API at 172 MiB RSS
    // against 139 MiB with API_DOCS=off (Postgres mode, node 20), in every process, most of which never serves /docs.
    SwaggerModule.setup(API_ROUTES.docs.slice(1), app, () => SwaggerModule.createDocument(app, new DocumentBuilder()
      .setTitle('Switchboard voice API')
      .setDescription('Agent API (session cookie) and Twilio webhooks (X-Twilio-Signature)')
      .addCookieAuth(SESSION_COOKIE)
      .build()));
  }

  await app.init();
  return app;
}

/**
 * Security headers on every answer (CSP per mode, frame-ancestors, nosniff, HSTS on https,
 * Referrer-Policy, Permissions-Policy) and the cross-site, JSON-only and webhook-method checks.
 */
async function registerBrowserProtections(app: NestFastifyApplication, config: AppConfig, staticDir: string | null): Promise<void> {
  const boundary: BrowserBoundaryOptions = {
    mode: config.mode,
    allowedOrigins: config.browser.allowedOrigins,
    frameAncestors: config.browser.frameAncestors,
    sandboxHost: config.client.sandboxSignalingHost,
    https: config.browser.hsts,
    inlineHandlers: staticDir ? inlineEventHandlers(readFileSync(resolve(staticDir, 'index.html'), 'utf8')) : [],
  };
  // Helmet's headers, worked out once at boot (@fastify/helmet rebuilds its middleware per request).
  await registerSecurityHeaders(app.getHttpAdapter().getInstance(), {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicyDirectives(boundary) },
    strictTransportSecurity: config.browser.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // CSP frame-ancestors is what browsers obey; X-Frame-Options cannot name an origin, so it goes when one may embed.
    xFrameOptions: config.browser.frameAncestors.length > 0 ? false : { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  registerBrowserBoundary(app.getHttpAdapter().getInstance(), boundary);
}

function resolveStaticDir(dir: string | null): string | null {
  if (!dir) return null;
  const path = resolve(process.cwd(), dir);
  return existsSync(resolve(path, 'index.html')) && statSync(path).isDirectory() ? path : null;
}

/**
 * Unknown GET paths outside the API answer the softphone's index.html (client-side routes); API,
 * webhook and health paths keep their JSON 404. Runs only for requests no route matched.
 */
@Catch()
class SpaFallbackFilter extends ApiExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception instanceof NotFoundException && (request.method === 'GET' || request.method === 'HEAD')
        && !/^\/(api|webhooks|health)(\/|$)/.test(request.url) && String(request.headers.accept ?? '').includes('text/html')) {
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      void reply.header('Cache-Control', 'no-cache').sendFile('index.html');
      return;
    }
    super.catch(exception, host);
  }
}

/** Nest LoggerService over Fastify's pino instance. */
class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: FastifyBaseLogger) {}
  log(message: unknown, context?: string) { this.pino.info({ context }, String(message)); }
  error(message: unknown, trace?: string, context?: string) { this.pino.error({ context, trace }, String(message)); }
  warn(message: unknown, context?: string) { this.pino.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.pino.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.pino.trace({ context }, String(message)); }
}
