import { Body, Controller, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags,
} from '@nestjs/swagger';
import { CurrentAgent, FieldException, RequireRole, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, MONITOR_MODES, SID_PATTERNS, type FloorSnapshot, type MonitorMode, type MonitorState, type SetMonitorModeRequest,
} from '@switchboard/shared-contracts';
import { IsString, MaxLength } from 'class-validator';
import { FloorService } from './floor.service';
import { MonitorService } from './monitor.service';

// `mode` is checked by the service against MONITOR_MODES (400 naming the field); the DTO checks the type only.
export class SetMonitorModeBody implements SetMonitorModeRequest {
  @ApiProperty({ enum: MONITOR_MODES, example: 'whisper' })
  @IsString() @MaxLength(16)
  readonly mode!: MonitorMode;
}

const MONITOR_ROUTE = API_ROUTES.monitor('CALLSID').replace('CALLSID', ':callSid');

/** The supervisor's board (`/api/floor`) and listen / whisper / barge on a customer call being monitored. */
@ApiTags('floor')
@Controller()
export class FloorController {
  constructor(private readonly floor: FloorService, private readonly monitor: MonitorService) {}

  @Get(API_ROUTES.floor)
  @RequireRole('supervisor')
  @ApiOkResponse({ description: 'Every enabled agent (state, reachability, current call), the queue and today\'s counts' })
  @ApiForbiddenResponse({ description: 'Only supervisors see the floor' })
  snapshot(): Promise<FloorSnapshot> {
    return this.floor.snapshot();
  }

  @Put(MONITOR_ROUTE)
  @HttpCode(200)
  @RequireRole('supervisor')
  @ApiOkResponse({ description: 'Your new mode; you and the agents on the call are told by call.monitor' })
  @ApiBadRequestResponse({ description: 'A mode that is not listen, whisper or barge; `field` names it' })
  @ApiForbiddenResponse({ description: 'Only supervisors monitor calls' })
  @ApiNotFoundResponse({ description: 'No live customer call has this CallSid' })
  @ApiConflictResponse({ description: 'You are not monitoring this call (join it first), or no agent is on it to whisper to' })
  setMode(@CurrentAgent() supervisor: SessionAgent, @Param('callSid') callSid: string, @Body() body: SetMonitorModeBody): Promise<MonitorState> {
    if (!SID_PATTERNS.call.test(callSid)) throw new FieldException(HttpStatus.NOT_FOUND, 'No live customer call has this CallSid', 'callSid');
    return this.monitor.setMode(supervisor.identity, callSid, body.mode);
  }
}
