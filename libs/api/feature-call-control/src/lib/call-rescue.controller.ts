import { Controller, Get, HttpCode, HttpStatus, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags,
} from '@nestjs/swagger';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, SID_PATTERNS, type HangUpResponse, type RejoinableCallsResponse, type RejoinResponse } from '@switchboard/shared-contracts';
import { CallControlException, CallControlExceptionFilter } from './call-control-errors';
import { CallControl } from './call-control.service';
import { HangUps } from './hang-up.service';
import { CallRescues } from './rescues.service';

/** The contract's route builders percent-encode their argument, so build with a plain marker and put the parameter in after. */
const routeOf = (build: (callSid: string) => string) => build('CALLSID').replace('CALLSID', ':callSid');

/**
 * Rescue and hang-up (issue 12, item 4): `GET /api/calls/rejoinable`, `POST /api/calls/{callSid}/rejoin`
 * (addressed by the agent's dropped leg) and `POST /api/calls/{callSid}/hang-up` (by the agent's own leg).
 * Identity comes from the session only. Errors carry the contract's CallControlErrorCode.
 */
@ApiTags('call control')
@Controller()
@UseFilters(CallControlExceptionFilter)
@ApiBadRequestResponse({ description: 'invalid-request: a malformed CallSid' })
@ApiServiceUnavailableResponse({ description: 'Telephony or the database cannot act now; see Retry-After' })
export class CallRescueController {
  constructor(private readonly rescues: CallRescues, private readonly hangUps: HangUps, private readonly control: CallControl) {}

  @Get(API_ROUTES.calls.rejoinable)
  @ApiOkResponse({ description: "The calls the agent dropped out of and may rejoin now, soonest to expire first" })
  rejoinable(@CurrentAgent() agent: SessionAgent): Promise<RejoinableCallsResponse> {
    return this.control.guarded(() => this.rescues.rejoinable(agent.identity));
  }

  @Post(routeOf(API_ROUTES.calls.rejoin))
  @HttpCode(200)
  @ApiOkResponse({ description: 'Admitted: place the call it names (device.connect({ to, params })) to rejoin the caller' })
  @ApiNotFoundResponse({ description: 'not-a-participant: no rescue of this call for this agent (its existence is not revealed)' })
  @ApiGoneResponse({ description: 'call-gone: the rescue window passed, or the caller is no longer waiting' })
  rejoin(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string): Promise<RejoinResponse> {
    const checked = checkedCallSid(callSid);
    return this.control.guarded(() => this.rescues.rejoin(agent.identity, checked));
  }

  @Post(routeOf(API_ROUTES.calls.hangUp))
  @HttpCode(200)
  @ApiOkResponse({ description: "The agent's leg is out; customerCallEnded tells whether the caller's call was ended too" })
  @ApiNotFoundResponse({ description: 'not-a-participant: no such call for this agent (its existence is not revealed)' })
  @ApiForbiddenResponse({ description: "not-a-participant: the agent's own leg, but the agent has left the call" })
  @ApiGoneResponse({ description: 'call-gone: the call has ended' })
  @ApiConflictResponse({ description: 'target-unavailable: the call is not anchored in a conference (disconnect on the softphone)' })
  hangUp(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string): Promise<HangUpResponse> {
    return this.hangUps.hangUp(agent.identity, checkedCallSid(callSid));
  }
}

function checkedCallSid(callSid: string): string {
  if (!SID_PATTERNS.call.test(callSid)) throw new CallControlException(HttpStatus.BAD_REQUEST, 'invalid-request', 'callSid must be a CallSid (CA followed by 32 hex digits)', 'callSid');
  return callSid;
}
