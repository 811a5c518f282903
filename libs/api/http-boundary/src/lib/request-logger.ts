import type { FastifyBaseLogger } from 'fastify';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type Bindings = Record<string, unknown>;
/** Fastify's logger type leaves out what pino, its logger here, also has. */
type PinoLogger = FastifyBaseLogger & { isLevelEnabled(level: string): boolean; bindings(): Bindings };

/**
 * A request's logger that makes its pino child (bindings such as the request id) only when a line is
 * actually written at an enabled level. Fastify makes a child per request; with the redact paths and
 * formatters the API uses, each child serialises and redacts its bindings (about 3 % of the token route's
 * CPU), although at LOG_LEVEL=warn most requests never log. At info the first line makes the child, so the
 * lines are the same as before: same bindings, redaction, serializers.
 */
class LazyRequestLogger {
  private made: PinoLogger | undefined;

  constructor(private readonly parent: PinoLogger, private readonly bindingsOf: Bindings) {}

  /** The real child, made once. */
  private real(): PinoLogger {
    this.made ??= this.parent.child(this.bindingsOf) as PinoLogger;
    return this.made;
  }

  get level(): string { return this.made?.level ?? this.parent.level; }
  set level(level: string) { this.real().level = level; }

  isLevelEnabled(level: string): boolean { return (this.made ?? this.parent).isLevelEnabled(level); }
  bindings(): Bindings { return this.real().bindings(); }
  child(bindings: Bindings, options?: object): FastifyBaseLogger { return this.real().child(bindings, options); }
  silent(): void { /* pino's silent level writes nothing */ }

  trace(...args: unknown[]): void { this.write('trace', args); }
  debug(...args: unknown[]): void { this.write('debug', args); }
  info(...args: unknown[]): void { this.write('info', args); }
  warn(...args: unknown[]): void { this.write('warn', args); }
  error(...args: unknown[]): void { this.write('error', args); }
  fatal(...args: unknown[]): void { this.write('fatal', args); }

  private write(level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    (this.real()[level] as (...a: unknown[]) => void)(...args);
  }
}

/**
 * Fastify's `childLoggerFactory`: per-request loggers made lazily (see LazyRequestLogger). A route with its
 * own log level or serializers gets a real child at once, as Fastify's default factory would make it.
 */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  if (Object.keys(options).length > 0) return logger.child(bindings, options);
  return new LazyRequestLogger(logger as PinoLogger, bindings) as unknown as FastifyBaseLogger;
}
