import { Writable } from 'node:stream';
import pino from 'pino';
import { lazyChildLoggerFactory } from './request-logger';

type Logger = ReturnType<typeof pino>;

function logger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  const parent = pino({ level, redact: { paths: ['*.token', 'req.headers.cookie'], censor: '[redacted]' } }, stream);
  return { parent, lines, child: jest.spyOn(parent, 'child') };
}

describe('lazyChildLoggerFactory', () => {
  it('makes no pino child for a request that writes nothing at an enabled level', () => {
    const { parent, lines, child } = logger('warn');
    const log = lazyChildLoggerFactory(parent, { reqId: 'r-1' }, {});
    log.info({ req: { url: '/api/voice/token' } }, 'incoming request');
    log.debug('nothing');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes enabled lines through a child with the request bindings and the parent redaction', () => {
    const { parent, lines, child } = logger('info');
    const log = lazyChildLoggerFactory(parent, { reqId: 'r-2' }, {});
    log.info({ req: { url: '/x', headers: { cookie: 'session=secret' } } }, 'incoming request');
    log.warn('second line');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([
      { reqId: 'r-2', msg: 'incoming request', req: { url: '/x', headers: { cookie: '[redacted]' } } },
      { reqId: 'r-2', msg: 'second line', level: 40 },
    ]);
  });

  it('honours the parent level and a level set on the request logger', () => {
    const { parent, lines } = logger('warn');
    const log = lazyChildLoggerFactory(parent, { reqId: 'r-3' }, {}) as unknown as Logger;
    expect(log.isLevelEnabled('info')).toBe(false);
    log.level = 'info';
    log.info('now on');
    expect(parent.isLevelEnabled('info')).toBe(false);
    expect(lines).toMatchObject([{ reqId: 'r-3', msg: 'now on' }]);
  });

  it('gives a route with its own log options a real child at once', () => {
    const { parent, child } = logger('warn');
    lazyChildLoggerFactory(parent, { reqId: 'r-4' }, { level: 'debug' });
    expect(child).toHaveBeenCalledWith({ reqId: 'r-4' }, { level: 'debug' });
  });
});
