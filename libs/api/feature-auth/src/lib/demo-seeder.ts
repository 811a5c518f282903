import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AgentsRepository, RoutingRepository } from '@switchboard/api-data-access-db';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { hashPassword } from './password-hasher';

/** The demo agents of sandbox mode; each gets DEMO_PASSWORD. Nothing is seeded in twilio mode. */
export const DEMO_AGENTS = [
  { identity: 'alice', displayName: 'Alice Agent', role: 'agent' },
  { identity: 'bob', displayName: 'Bob Agent', role: 'agent' },
  { identity: 'sam', displayName: 'Sam Supervisor', role: 'supervisor' },
] as const;

/**
 * The support number rings the `support` group, whose only member is bob; the sales number rings the `sales`
 * group, alice and bob, so the team floor can be tried (whoever is Away or unreachable is not rung). To ring
 * more agents add members (`npm run admin -- group add …`); a number routed straight to one agent is an
 * inbound_routes row with target_kind 'agent'. A group rings all its available members at once until its
 * strategy is set (`npm run admin -- group strategy sales longest-idle`): the seeder never sets it, so an
 * administrator's choice outlives restarts.
 */
export const DEMO_SUPPORT_GROUP = { name: 'support', members: ['bob'] } as const;
export const DEMO_SALES_GROUP = { name: 'sales', members: ['alice', 'bob'] } as const;

@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    private readonly agents: AgentsRepository,
    private readonly routing: RoutingRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.mode !== 'sandbox' || this.config.demoPassword === null) return;
    for (const agent of DEMO_AGENTS) {
      if (await this.agents.findByIdentity(agent.identity)) continue;
      await this.agents.insertIfMissing({ ...agent, enabled: true, passwordHash: await hashPassword(this.config.demoPassword) });
    }
    for (const [group, number] of [[DEMO_SUPPORT_GROUP, SANDBOX_NUMBERS.support], [DEMO_SALES_GROUP, SANDBOX_NUMBERS.sales]] as const) {
      for (const member of group.members) await this.routing.addGroupMember(group.name, member);
      await this.routing.upsertRoute(number, { kind: 'group', name: group.name });
    }
    this.logger.log(`Sandbox mode: demo agents ${DEMO_AGENTS.map((a) => a.identity).join(', ')} ready`);
  }
}
