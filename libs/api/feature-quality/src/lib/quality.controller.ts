import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiNoContentResponse, ApiOkResponse, ApiTags,
} from '@nestjs/swagger';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, type LineTest, type LineTestsResponse, type QualityRecordCreated, type QualityRecordsResponse,
} from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';
import {
  callSidOf, identityQueryOf, lineTestScopeOf, parseLineTestInput, parseQualityRecordInput, parseRatingInput, parseRegistrationInput,
} from './quality-validation';
import { QualityService } from './quality.service';

const RATING_ROUTE = API_ROUTES.quality.rating('CALLSID').replace('CALLSID', ':callSid');
const FOR_CALL_ROUTE = API_ROUTES.quality.forCall('CALLID').replace('CALLID', ':callId');

/**
 * Issue 14's routes. Bodies are typed `unknown` on purpose: quality-validation.ts checks them (the
 * global ValidationPipe has no DTO to apply) and answers 400 naming the field. The identity is always
 * the session's.
 */
@ApiTags('quality')
@Controller()
export class QualityController {
  constructor(private readonly quality: QualityService) {}

  @Post(API_ROUTES.quality.records)
  @ApiCreatedResponse({ description: 'The leg\'s record was stored: {id, created: true}; 200 {id, created: false} when it already was' })
  @ApiBadRequestResponse({ description: 'A field that is missing or out of range; `field` names it' })
  @ApiForbiddenResponse({ description: 'The leg is known to be another agent\'s' })
  async storeRecord(
    @CurrentAgent() agent: SessionAgent, @Body() body: unknown, @Headers('user-agent') userAgent: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<QualityRecordCreated> {
    const stored = await this.quality.storeRecord(agent, parseQualityRecordInput(body), userAgent);
    void reply.status(stored.created ? 201 : 200);
    return stored;
  }

  @Put(RATING_ROUTE)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Your rating of your leg was stored (replacing an earlier one)' })
  @ApiBadRequestResponse({ description: 'A score or issue that is not allowed; `field` names it' })
  @ApiForbiddenResponse({ description: 'The leg is another agent\'s' })
  @ApiNotFoundResponse({ description: 'No leg of yours has this CallSid' })
  async rate(@CurrentAgent() agent: SessionAgent, @Param('callSid') callSid: string, @Body() body: unknown): Promise<void> {
    await this.quality.rate(agent, callSidOf(callSid), parseRatingInput(body));
  }

  @Post(API_ROUTES.quality.registrations)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The registration\'s set-up timings were stored' })
  @ApiBadRequestResponse({ description: 'A field that is missing or out of range; `field` names it' })
  async storeRegistration(@CurrentAgent() agent: SessionAgent, @Body() body: unknown, @Headers('user-agent') userAgent: string | undefined): Promise<void> {
    await this.quality.storeRegistration(agent, parseRegistrationInput(body), userAgent);
  }

  @Get(FOR_CALL_ROUTE)
  @ApiOkResponse({ description: 'The legs of this call you may see: your own; a supervisor every leg' })
  @ApiForbiddenResponse({ description: 'You were not on this call' })
  @ApiNotFoundResponse({ description: 'No call has this id' })
  async forCall(@CurrentAgent() agent: SessionAgent, @Param('callId') callId: string): Promise<QualityRecordsResponse> {
    return { records: await this.quality.forCall(agent, callId) };
  }

  @Post(API_ROUTES.quality.lineTests)
  @ApiCreatedResponse({ description: 'The line test as stored, with its verdict and your platform' })
  @ApiBadRequestResponse({ description: 'A field that is missing or out of range; `field` names it' })
  storeLineTest(@CurrentAgent() agent: SessionAgent, @Body() body: unknown, @Headers('user-agent') userAgent: string | undefined): Promise<LineTest> {
    return this.quality.storeLineTest(agent, parseLineTestInput(body), userAgent);
  }

  @Get(API_ROUTES.quality.lineTests)
  @ApiOkResponse({ description: 'Your line tests (a supervisor: `?identity=`\'s), newest first, at most 20; `?scope=team` (supervisors): each agent\'s newest' })
  @ApiBadRequestResponse({ description: 'A malformed `identity` or `scope`, or both given; `field` names it' })
  @ApiForbiddenResponse({ description: 'Only supervisors may read another agent\'s (or the team\'s) line tests' })
  async lineTests(@CurrentAgent() agent: SessionAgent, @Query('identity') identity: unknown, @Query('scope') scope: unknown): Promise<LineTestsResponse> {
    const whose = identityQueryOf(identity);
    if (lineTestScopeOf(scope, whose) === 'team') return { lineTests: await this.quality.teamLineTests(agent) };
    return { lineTests: await this.quality.lineTests(agent, whose) };
  }
}
