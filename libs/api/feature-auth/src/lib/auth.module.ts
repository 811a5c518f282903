import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AgentDirectoryController, AuthController } from './auth.controller';
import { DemoSeeder } from './demo-seeder';
import { SessionGuard } from './session.guard';
import { AgentSessions } from './sessions';

@Module({
  controllers: [AuthController, AgentDirectoryController],
  providers: [AgentSessions, DemoSeeder, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [AgentSessions],
})
export class AuthModule {}
