import { Body, Controller, Get, HttpStatus, Logger, NotFoundException, Param, Patch, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { RoutingRepository, UNASSIGNED_VOICEMAIL_TARGET, VoicemailsRepository } from '@switchboard/api-data-access-db';
import { RecordingFetcher } from '@switchboard/api-data-access-telephony';
import { CurrentAgent, FieldException, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, type MarkVoicemailRequest, type Voicemail, type VoicemailList } from '@switchboard/shared-contracts';
import { IsBoolean } from 'class-validator';
import type { FastifyReply } from 'fastify';

export class MarkVoicemailBody implements MarkVoicemailRequest {
  @ApiProperty() @IsBoolean()
  readonly heard!: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VOICEMAIL_ROUTE = API_ROUTES.voicemails.one(':id').replace('%3A', ':');
const AUDIO_ROUTE = API_ROUTES.voicemails.audio(':id').replace('%3A', ':');

/**
 * Voicemail of the signed-in agent: left for them directly or for a ring group they belong to; a
 * supervisor also sees (and plays, and marks) the unassigned inbox, messages whose owner is unknown.
 */
@ApiTags('voicemail')
@Controller()
export class VoicemailController {
  private readonly logger = new Logger('VoicemailController');

  constructor(
    private readonly voicemails: VoicemailsRepository,
    private readonly routing: RoutingRepository,
    private readonly recordings: RecordingFetcher,
  ) {}

  @Get(API_ROUTES.voicemails.list)
  async list(@CurrentAgent() agent: SessionAgent): Promise<VoicemailList> {
    const items = await this.voicemails.listForTargets(await this.ownedTargets(agent));
    return { items, unheard: items.filter((v) => !v.heard).length };
  }

  @Patch(VOICEMAIL_ROUTE)
  async mark(@CurrentAgent() agent: SessionAgent, @Param('id') id: string, @Body() body: MarkVoicemailBody): Promise<Voicemail> {
    const voicemail = await this.voicemails.markHeard(checkId(id), await this.ownedTargets(agent), body.heard);
    if (!voicemail) throw new NotFoundException('No such voicemail');
    return voicemail;
  }

  /** Streams the recording through our credentials; someone else's voicemail is a 404, as if absent. */
  @Get(AUDIO_ROUTE)
  async audio(@CurrentAgent() agent: SessionAgent, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const voicemail = await this.voicemails.findOwned(checkId(id), await this.ownedTargets(agent));
    if (!voicemail) throw new NotFoundException('No such voicemail');
    let audio;
    try {
      audio = await this.recordings.fetch(voicemail.recordingUrl);
    } catch (error) {
      this.logger.warn(`Recording ${voicemail.recordingSid} could not be fetched: ${(error as Error).message}`);
      throw new FieldException(HttpStatus.BAD_GATEWAY, 'The recording could not be fetched from the telephony provider');
    }
    void reply.header('Content-Type', audio.contentType).header('Cache-Control', 'private, no-store');
    if (audio.contentLength !== null) void reply.header('Content-Length', String(audio.contentLength));
    await reply.send(audio.body);
  }

  private async ownedTargets(agent: SessionAgent): Promise<string[]> {
    const groups = await this.routing.groupsOf(agent.identity);
    const own = [`agent:${agent.identity}`, ...groups.map((group) => `group:${group}`)];
    return agent.role === 'supervisor' ? [...own, UNASSIGNED_VOICEMAIL_TARGET] : own;
  }
}

function checkId(id: string): string {
  if (!UUID.test(id)) throw new FieldException(HttpStatus.BAD_REQUEST, 'id must be a voicemail id (UUID)', 'id');
  return id.toLowerCase();
}
