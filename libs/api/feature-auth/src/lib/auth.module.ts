import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SignInFailuresRepository } from '@switchboard/api-data-access-db';
import { AgentDirectoryController, AuthController } from './auth.controller';
import { DemoSeeder } from './demo-seeder';
import { RingGroupsController } from './ring-groups.controller';
import { SessionGuard } from './session.guard';
import { AgentSessions } from './sessions';
import { SignInThrottle } from './sign-in-throttle';

@Module({
  controllers: [AuthController, AgentDirectoryController, RingGroupsController],
  // The sign-in limits' repository lives here: only sign-in uses its table.
  providers: [AgentSessions, SignInThrottle, SignInFailuresRepository, DemoSeeder, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [AgentSessions],
})
export class AuthModule {}
