import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse, ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags,
} from '@nestjs/swagger';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, CONSULT_ACTIONS, SID_PATTERNS, type CallParticipantsResponse, type ConsultAction, type ConsultActionResponse, type HoldRequest, type HoldResponse,
  type TransferResponse,
} from '@switchboard/shared-contracts';
import { IsBoolean } from 'class-validator';
import { CallControlException, CallControlExceptionFilter } from './call-control-errors';
import { CallControl } from './call-control.service';
import { ColdTransfers } from './cold-transfers.service';
import { ConsultTransfers } from './consult-transfers.service';
import { toTransferRequest, TransferBody } from './transfer-request';

export class HoldBody implements HoldRequest {
  @ApiProperty({ description: 'true holds the caller (hold music), false resumes' })
  @IsBoolean({ message: 'hold must be true or false' })
  readonly hold!: boolean;
}

/** The contract's route builders percent-encode their argument, so build with a plain marker and put the parameter in after. */
const routeOf = (build: (callSid: string) => string) => build('CALLSID').replace('CALLSID', ':callSid');
const CONSULT_ROUTE = routeOf((callSid) => API_ROUTES.calls.consult(callSid, 'complete')).replace(/complete$/, ':action');

/**
 * `/api/calls/{callSid}/participants`, `/hold`, `/transfer` and `/consult/{action}`, addressed by the agent's own leg (or the customer's call),
 * answered only to agents in that call now. Errors carry the contract's CallControlErrorCode.
 */
@ApiTags('call control')
@Controller()
@UseFilters(CallControlExceptionFilter)
@ApiBadRequestResponse({ description: 'invalid-request: a malformed CallSid or body' })
@ApiNotFoundResponse({ description: 'not-a-participant: no such call for this agent (its existence is not revealed)' })
@ApiForbiddenResponse({ description: "not-a-participant: the agent's own leg, but the agent has left the call" })
@ApiGoneResponse({ description: 'call-gone: the call (or the caller) has ended' })
@ApiServiceUnavailableResponse({ description: 'Telephony or the database cannot act now; see Retry-After' })
export class CallControlController {
  constructor(private readonly control: CallControl, private readonly transfers: ColdTransfers, private readonly consults: ConsultTransfers) {}

  @Get(routeOf(API_ROUTES.calls.participants))
  @ApiOkResponse({ description: 'The current participants of the call' })
  participants(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string): Promise<CallParticipantsResponse> {
    return this.control.participants(agent.identity, checkedCallSid(callSid));
  }

  @Post(routeOf(API_ROUTES.calls.hold))
  @HttpCode(200)
  @ApiOkResponse({ description: 'The caller is held (or resumed); holding a held caller answers the same' })
  hold(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string, @Body() body: HoldBody): Promise<HoldResponse> {
    // The validation pipe lets an absent body through; the contract wants a boolean.
    if (typeof body?.hold !== 'boolean') throw new CallControlException(HttpStatus.BAD_REQUEST, 'invalid-request', 'hold must be true or false', 'hold');
    return this.control.hold(agent.identity, checkedCallSid(callSid), body.hold);
  }

  @Post(routeOf(API_ROUTES.calls.transfer))
  @HttpCode(200)
  @ApiOkResponse({ description: 'The target rings (status ringing-target); the caller hears hold music until it answers' })
  @ApiConflictResponse({ description: 'target-unavailable: the target cannot ring now, or a transfer of this call is already ringing' })
  @ApiUnprocessableEntityResponse({ description: "number-refused: the calling policy refuses the number (reason in the policy's vocabulary)" })
  @ApiTooManyRequestsResponse({ description: 'call-cap: a toll-fraud cap refuses a call to a phone number now (reason names the cap)' })
  transfer(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string, @Body() body: TransferBody): Promise<TransferResponse> {
    const checked = checkedCallSid(callSid);
    return this.transfers.transfer(agent.identity, checked, toTransferRequest(body));
  }

  @Post(CONSULT_ROUTE)
  @HttpCode(200)
  @ApiOkResponse({ description: 'complete: you leave, the caller is with the target; cancel: the target leaves (or stops ringing); three-way: everyone together' })
  @ApiConflictResponse({ description: 'target-unavailable: no consult of yours in the state the action needs (cancel: no transfer ringing either)' })
  consult(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string, @Param('action') action: string): Promise<ConsultActionResponse> {
    const checked = checkedCallSid(callSid);
    if (!(CONSULT_ACTIONS as readonly string[]).includes(action)) {
      throw new CallControlException(HttpStatus.BAD_REQUEST, 'invalid-request', `action must be one of ${CONSULT_ACTIONS.join(', ')}`, 'action');
    }
    return this.consults.act(agent.identity, checked, action as ConsultAction);
  }
}

function checkedCallSid(callSid: string): string {
  if (!SID_PATTERNS.call.test(callSid)) throw new CallControlException(HttpStatus.BAD_REQUEST, 'invalid-request', 'callSid must be a CallSid (CA followed by 32 hex digits)', 'callSid');
  return callSid;
}
