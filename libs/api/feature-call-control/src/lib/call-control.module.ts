import { Module } from '@nestjs/common';
import { ConferencesRepository } from '@switchboard/api-data-access-db';
import { CallAnchors } from './call-anchors';
import { CallControlController } from './call-control.controller';
import { CallControl } from './call-control.service';

/** The agent's call-control routes (participants, hold) over the conference record and ConferenceCommands. */
@Module({ controllers: [CallControlController], providers: [ConferencesRepository, CallAnchors, CallControl] })
export class CallControlModule {}
