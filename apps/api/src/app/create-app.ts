import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { ArgumentsHost, Catch, LoggerService, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@switchboard/api-data-access-config';
import { ApiExceptionFilter, createValidationPipe } from '@switchboard/api-http-boundary';
import { API_ROUTES, SESSION_COOKIE } from '@switchboard/shared-contracts';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';

/** Webhook form posts are a few KB; anything past 64 KB is refused with 413 before any work. */
export const BODY_LIMIT_BYTES = 64 * 1024;

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
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
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
  if (staticDir) {
    // `wildcard: false` registers one route per file at start-up: no fs.stat on API requests
    // (research/performance.md, trap 3). Hashed build files never change, so they are cached forever.
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

  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Switchboard voice API')
    .setDescription('Agent API (session cookie) and Twilio webhooks (X-Twilio-Signature)')
    .addCookieAuth(SESSION_COOKIE)
    .build());
  SwaggerModule.setup(API_ROUTES.docs.slice(1), app, document);

  await app.init();
  return app;
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
