import { createHash } from 'node:crypto';
import { BadRequestException, Controller, Get, HttpException, HttpStatus, Inject, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { SessionsRepository } from '@switchboard/api-data-access-db';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { LIVE_EVENTS_LAST_ID_PARAM, LIVE_EVENTS_PATH } from '@switchboard/shared-contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LiveEventHub, type SessionCheck, type StreamSink } from './live-event-hub';

/** Longer than any id we make; a longer one is a bad request, not a lookup. */
const MAX_EVENT_ID_LENGTH = 200;


@ApiTags('events')
@Controller()
export class LiveEventsController {
  constructor(
    private readonly hub: LiveEventHub,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The signed-in agent's event stream (Server-Sent Events). The session guard has already answered
   * 401 to anyone else, and the browser boundary 403 to a cross-site page.
   */
  @Get(LIVE_EVENTS_PATH)
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'session.hello, then missed and live events; `: ping` comments keep it open' })
  @ApiResponse({ status: 429, description: 'This agent already has the most streams allowed open' })
  stream(@CurrentAgent() agent: SessionAgent, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const lastEventId = lastEventIdOf(request);
    const admission = this.hub.admission(agent.identity);
    if (admission === 'too-many-streams') {
      throw new HttpException('Too many event streams are open for this agent: close another tab or window of the softphone', HttpStatus.TOO_MANY_REQUESTS);
    }
    if (admission === 'shutting-down') throw new ServiceUnavailableException('The API is shutting down: reconnect in a moment');

    // From here on the response is ours, not Fastify's: it would otherwise end it when this returns.
    reply.hijack();
    const raw = reply.raw;
    // Headers set by hooks so far (helmet's security headers, the Permissions-Policy) live on the reply,
    // which a hijacked response never sends: copy them over.
    const hookHeaders = Object.fromEntries(Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined));
    raw.writeHead(200, {
      ...hookHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: a proxy must neither compress nor buffer the stream.
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    if (request.method === 'HEAD') {
      raw.end();
      return;
    }
    raw.socket?.setNoDelay(true);
    const sink: StreamSink = {
      write: (frame) => raw.write(frame),
      end: () => raw.end(),
      get bufferedBytes() { return raw.writableLength; },
    };
    const stream = this.hub.open(agent, lastEventId, sink, this.sessionCheck(request, agent));
    // 'close' comes when the client goes away and after raw.end(); the hub ignores a second close.
    raw.once('close', () => this.hub.close(stream));
  }

  /**
   * Asks the database at each heartbeat whether the cookie the stream opened with still names this
   * agent (signed out on any instance, expired, agent disabled: the stream ends). The database keeps
   * sessions by the SHA-256 of the token, as feature-auth's AgentSessions stores them; a feature lib may
   * not import another, and the e2e test that keeps a stream open over several pings fails if the two drift.
   */
  private sessionCheck(request: FastifyRequest, agent: SessionAgent): SessionCheck | null {
    const token = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[this.config.sessions.cookieName];
    if (!token) return null;
    const tokenHash = createHash('sha256').update(token).digest('hex');
    return async () => (await this.sessions.findAgent(tokenHash, new Date()))?.id === agent.id;
  }
}

/** The browser's `Last-Event-ID` on its own reconnects; the `lastEventId` query parameter on the client's. */
function lastEventIdOf(request: FastifyRequest): string | null {
  const header = request.headers['last-event-id'];
  const query = (request.query as Record<string, unknown> | undefined)?.[LIVE_EVENTS_LAST_ID_PARAM];
  const value = header !== undefined && header !== '' ? header : query;
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > MAX_EVENT_ID_LENGTH) {
    throw new BadRequestException(`${LIVE_EVENTS_LAST_ID_PARAM} must be one event id of at most ${MAX_EVENT_ID_LENGTH} characters`);
  }
  return value;
}
