import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@switchboard/api-feature-auth';
import { AvailabilityModule } from '@switchboard/api-feature-availability';
import { CallControlModule } from '@switchboard/api-feature-call-control';
import { CallEventsModule } from '@switchboard/api-feature-call-events';
import { CallsModule } from '@switchboard/api-feature-calls';
import { ConferencesModule } from '@switchboard/api-feature-conferences';
import { FloorModule } from '@switchboard/api-feature-floor';
import { InsightsModule } from '@switchboard/api-feature-insights';
import { QualityModule } from '@switchboard/api-feature-quality';
import { LiveEventsModule } from '@switchboard/api-feature-live-events';
import { TokensModule } from '@switchboard/api-feature-tokens';
import { TwimlModule } from '@switchboard/api-feature-twiml';
import { VoicemailModule } from '@switchboard/api-feature-voicemail';
import { DatabaseModule, type DatabaseOptions } from '@switchboard/api-data-access-db';
import { PresenceModule } from '@switchboard/api-data-access-presence';
import { TwilioAdapterModule } from '@switchboard/api-twilio-adapter';
import { AppConfigModule, type AppConfig } from '@switchboard/api-data-access-config';
import { HealthController } from './health.controller';

export interface AppModuleOptions {
  readonly config: AppConfig;
  /** Tests on a real Postgres run in their own schema. */
  readonly databaseSearchPath?: string;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseSearchPath }: AppModuleOptions): DynamicModule {
    const database: DatabaseOptions = { ...config.database, searchPath: databaseSearchPath };
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        TwilioAdapterModule,
        PresenceModule,
        AuthModule,
        TokensModule,
        TwimlModule,
        CallEventsModule,
        ConferencesModule,
        CallsModule,
        CallControlModule,
        AvailabilityModule,
        FloorModule,
        QualityModule,
        InsightsModule,
        VoicemailModule,
        LiveEventsModule,
      ],
      controllers: [HealthController],
    };
  }
}
