import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CallStartWriter } from './call-start-writer';
import { DATABASE, Database, DatabaseOptions } from './database';
import { EnabledAgents } from './enabled-agents';
import { AgentsRepository, CallbackInboxRepository, CallsRepository, RoutingRepository, SessionsRepository, VoicemailsRepository } from './repositories';

const REPOSITORIES = [
  AgentsRepository, SessionsRepository, RoutingRepository, CallsRepository, VoicemailsRepository, CallbackInboxRepository, EnabledAgents, CallStartWriter,
];

/** Opens the database, applies pending migrations before anything else runs, closes it on shutdown. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Database, private readonly callStarts: CallStartWriter) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE,
          useFactory: async () => {
            const database = await Database.open(options);
            try {
              await database.migrate();
            } catch (error) {
              await database.close();
              throw error;
            }
            return database;
          },
        },
        ...REPOSITORIES,
      ],
      exports: [DATABASE, ...REPOSITORIES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.callStarts.whenIdle();
    await this.database.close();
  }
}
