import { parseArgs } from 'node:util';
import {
  AgentsRepository, Database, DatabaseInUseError, RoutingRepository, SessionsRepository, type RouteTarget,
} from '@switchboard/api-data-access-db';
import { ConfigError, loadDatabaseConfig } from '@switchboard/api-data-access-config';
import { IDENTITY_RULE, isIdentity, RING_STRATEGIES, type AgentRole, type RingStrategy } from '@switchboard/shared-contracts';
import { parsePhoneNumber, type E164, type ParseFailureReason } from '@switchboard/shared-util-phone';
import { hashPassword } from '../password-hasher';
import { AdminFailure, UsageError } from './admin-errors';
import { hasControlCharacters, readNewPassword, type PasswordSource } from './read-password';

/** Where the admin command line reads and writes; main passes the process's, tests their own. */
export interface AdminIo extends PasswordSource {
  readonly stdout: { write(text: string): unknown };
}

export interface AdminOptions {
  /** An open, migrated database to use (tests); by default it is opened from DATABASE_URL / DATA_DIR. */
  readonly database?: Database;
}

const RUN = 'npm run admin --';

/** Ring group names end up in voicemail targets (`group:<name>`) and in logs: keep them plain. */
const GROUP_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const DISPLAY_NAME_MAX_LENGTH = 100;
const ROLES: readonly AgentRole[] = ['agent', 'supervisor'];

export const ADMIN_USAGE = `Switchboard admin: agents, inbound number routes and ring groups.

Usage: ${RUN} <command>

Agents
  agent add <identity> --name "<display name>" [--role agent|supervisor]
  agent list
  agent disable <identity>          also ends the agent's sessions
  agent enable <identity>
  agent password <identity>         sets a new password and ends the agent's sessions

Inbound numbers (a Twilio number's voice URL is /webhooks/voice/incoming)
  route set <number> --agent <identity>
  route set <number> --group <name>
  route list
  route remove <number>

Ring groups (only members Available and reachable ring, unless ROUTE_ONLY_AVAILABLE=false)
  group add <name> <identity>
  group remove <name> <identity>
  group strategy <name> ring-all|longest-idle
                                    ring-all (default): every member at once; longest-idle: the member
                                    available the longest first, the next after LONGEST_IDLE_RING_SECONDS
  group list

Passwords come from ADMIN_PASSWORD, or are typed at the terminal (not shown), or are the first line
piped on stdin; never from the command line. At least 12 characters.
Identities: ${IDENTITY_RULE}. Numbers: international form, e.g. +14155550100.
The database is the API's: DATABASE_URL, or the embedded one under DATA_DIR (default .data; stop the
API first, the embedded engine serves one process at a time).

Exit codes: 0 done, 1 failed (nothing changed), 2 usage error.
`;

type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'agent add'; readonly identity: string; readonly displayName: string; readonly role: AgentRole }
  | { readonly kind: 'agent list' | 'route list' | 'group list' }
  | { readonly kind: 'agent enable' | 'agent disable' | 'agent password'; readonly identity: string }
  | { readonly kind: 'route set'; readonly number: E164; readonly target: RouteTarget }
  | { readonly kind: 'route remove'; readonly number: E164 }
  | { readonly kind: 'group add' | 'group remove'; readonly group: string; readonly identity: string }
  | { readonly kind: 'group strategy'; readonly group: string; readonly strategy: RingStrategy };

interface CommandSpec {
  readonly usage: string;
  readonly positionals: readonly string[];
  readonly options?: Readonly<Record<string, { type: 'string' }>>;
  readonly build: (args: readonly string[], values: Readonly<Record<string, string | undefined>>) => Command;
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  'agent add': {
    usage: 'agent add <identity> --name "<display name>" [--role agent|supervisor]',
    positionals: ['identity'],
    options: { name: { type: 'string' }, role: { type: 'string' } },
    build: ([identity], { name, role }) => ({
      kind: 'agent add', identity: checkIdentity(identity), displayName: checkDisplayName(name), role: checkRole(role ?? 'agent'),
    }),
  },
  'agent list': { usage: 'agent list', positionals: [], build: () => ({ kind: 'agent list' }) },
  'agent disable': { usage: 'agent disable <identity>', positionals: ['identity'], build: ([identity]) => ({ kind: 'agent disable', identity: checkIdentity(identity) }) },
  'agent enable': { usage: 'agent enable <identity>', positionals: ['identity'], build: ([identity]) => ({ kind: 'agent enable', identity: checkIdentity(identity) }) },
  'agent password': { usage: 'agent password <identity>', positionals: ['identity'], build: ([identity]) => ({ kind: 'agent password', identity: checkIdentity(identity) }) },
  'route set': {
    usage: 'route set <number> --agent <identity> | --group <name>',
    positionals: ['number'],
    options: { agent: { type: 'string' }, group: { type: 'string' } },
    build: ([number], { agent, group }) => {
      if ((agent === undefined) === (group === undefined)) throw new UsageError('route set needs exactly one of --agent <identity> or --group <name>.');
      const target: RouteTarget = agent !== undefined ? { kind: 'agent', name: checkIdentity(agent) } : { kind: 'group', name: checkGroup(group) };
      return { kind: 'route set', number: checkNumber(number), target };
    },
  },
  'route list': { usage: 'route list', positionals: [], build: () => ({ kind: 'route list' }) },
  'route remove': { usage: 'route remove <number>', positionals: ['number'], build: ([number]) => ({ kind: 'route remove', number: checkNumber(number) }) },
  'group add': {
    usage: 'group add <name> <identity>', positionals: ['name', 'identity'],
    build: ([group, identity]) => ({ kind: 'group add', group: checkGroup(group), identity: checkIdentity(identity) }),
  },
  'group remove': {
    usage: 'group remove <name> <identity>', positionals: ['name', 'identity'],
    build: ([group, identity]) => ({ kind: 'group remove', group: checkGroup(group), identity: checkIdentity(identity) }),
  },
  'group strategy': {
    usage: 'group strategy <name> ring-all|longest-idle', positionals: ['name', 'strategy'],
    build: ([group, strategy]) => ({ kind: 'group strategy', group: checkGroup(group), strategy: checkStrategy(strategy) }),
  },
  'group list': { usage: 'group list', positionals: [], build: () => ({ kind: 'group list' }) },
};

/**
 * Runs one admin command against the API's database and returns the process exit code: 0 done,
 * 1 failed (a clear message on stderr, nothing changed), 2 usage error. Arguments and the password
 * are checked before the database is opened.
 */
export async function runAdminCli(argv: readonly string[], io: AdminIo, options: AdminOptions = {}): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.kind === 'help') {
      io.stdout.write(ADMIN_USAGE);
      return 0;
    }
    const password = command.kind === 'agent add' || command.kind === 'agent password' ? await readNewPassword(io, command.identity) : null;
    await withDatabase(io.env, options.database, (database) => execute(command, password, database, io));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\nRun "${RUN} --help" for every command.\n`);
      return 2;
    }
    const message = error instanceof AdminFailure || error instanceof ConfigError || error instanceof DatabaseInUseError
      ? error.message
      : `${(error as Error)?.message ?? String(error)} (nothing was changed; check that the database is reachable)`;
    io.stderr.write(`error: ${message}\n`);
    return 1;
  }
}

function parseCommand(argv: readonly string[]): Command {
  // Checked before anything else, so a password typed on the command line is never echoed back either.
  if (argv.some((arg) => /^-{1,2}(p|pw|pass|passwd|password)(=|$)/i.test(arg))) {
    throw new UsageError('Passwords are never taken from the command line (shell history and "ps" would keep them). '
      + 'Set ADMIN_PASSWORD, type it when asked, or pipe it on stdin.');
  }
  const [noun, verb, ...rest] = argv;
  if (noun === undefined || noun === 'help' || noun === '--help' || noun === '-h') return { kind: 'help' };
  const key = `${noun} ${verb ?? ''}`.trim();
  const spec = COMMANDS[key];
  if (!spec) {
    const known = Object.keys(COMMANDS).filter((name) => name.startsWith(`${noun} `));
    if (known.length > 0 && (verb === undefined || verb === '--help' || verb === '-h')) return { kind: 'help' };
    throw new UsageError(known.length > 0
      ? `Unknown command "${printable(key)}". "${noun}" takes: ${known.map((name) => name.split(' ')[1]).join(', ')}.`
      : `Unknown command "${printable(noun)}". Commands start with agent, route or group.`);
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\s*To specify a positional argument.*$/s, '')}. Usage: ${RUN} ${spec.usage}`);
  }
  if (parsed.values['help']) return { kind: 'help' };
  if (parsed.positionals.length !== spec.positionals.length) {
    throw new UsageError(`${key} takes ${spec.positionals.length === 0 ? 'no arguments' : spec.positionals.map((p) => `<${p}>`).join(' ')}. Usage: ${RUN} ${spec.usage}`);
  }
  const values = Object.fromEntries(Object.entries(parsed.values).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return spec.build(parsed.positionals, values);
}

async function withDatabase(env: AdminIo['env'], given: Database | undefined, work: (database: Database) => Promise<void>): Promise<void> {
  if (given) return work(given);
  const config = loadDatabaseConfig(env);
  const database = await Database.open(config);
  try {
    await database.migrate();
    await work(database);
  } finally {
    await database.close();
  }
}

async function execute(command: Exclude<Command, { kind: 'help' }>, password: string | null, database: Database, io: AdminIo): Promise<void> {
  const agents = new AgentsRepository(database);
  const sessions = new SessionsRepository(database);
  const routing = new RoutingRepository(database);
  const out = (line: string): void => { io.stdout.write(`${line}\n`); };
  const warn = (line: string): void => { io.stderr.write(`warning: ${line}\n`); };
  const requireAgent = async (identity: string) => {
    const agent = await agents.findByIdentity(identity);
    if (!agent) throw unknownAgent(identity);
    return agent;
  };

  switch (command.kind) {
    case 'agent add': {
      const passwordHash = await hashPassword(password as string);
      const created = await agents.insert({ identity: command.identity, displayName: command.displayName, role: command.role, passwordHash, enabled: true });
      if (!created) throw new AdminFailure(`An agent "${command.identity}" already exists. To give it a new password: ${RUN} agent password ${command.identity}`);
      return out(`Added ${command.role} ${command.identity} (${command.displayName}). They can sign in now.`);
    }
    case 'agent list': {
      const rows = await agents.listAll();
      if (rows.length === 0) return out(`No agents yet. Add one: ${RUN} agent add <identity> --name "<display name>"`);
      return out(table(['IDENTITY', 'ROLE', 'STATUS', 'NAME'], rows.map((a) => [a.identity, a.role, a.enabled ? 'enabled' : 'disabled', a.displayName])));
    }
    case 'agent disable': {
      if (!await agents.setEnabled(command.identity, false)) throw unknownAgent(command.identity);
      const ended = await sessions.deleteForAgent(command.identity);
      return out(`Disabled ${command.identity}; ended ${plural(ended, 'session')}. Calls no longer ring them.`);
    }
    case 'agent enable': {
      if (!await agents.setEnabled(command.identity, true)) throw unknownAgent(command.identity);
      return out(`Enabled ${command.identity}.`);
    }
    case 'agent password': {
      await requireAgent(command.identity); // before the slow hash
      const changed = await agents.replacePasswordHash(command.identity, await hashPassword(password as string));
      if (!changed) throw unknownAgent(command.identity);
      return out(`Changed the password of ${command.identity}; ended ${plural(changed.revokedSessions, 'session')}.`);
    }
    case 'route set': {
      const { target } = command;
      if (target.kind === 'agent') {
        const agent = await requireAgent(target.name);
        if (!agent.enabled) warn(`${agent.identity} is disabled: calls to ${command.number} ring nobody until "${RUN} agent enable ${agent.identity}".`);
      } else if (!(await routing.listGroups()).some((group) => group.name === target.name)) {
        throw new AdminFailure(`There is no ring group "${target.name}" (a group exists once it has a member). Add one first: ${RUN} group add ${target.name} <identity>`);
      }
      await routing.setRoute(command.number, target);
      return out(`${command.number} now rings ${target.kind} ${target.name}.`);
    }
    case 'route list': {
      const routes = await routing.listRoutes();
      if (routes.length === 0) return out(`No routes yet. Add one: ${RUN} route set <number> --agent <identity>`);
      const rows = await Promise.all(routes.map(async ({ number, target }) => {
        const ringing = await routing.enabledAgentsOf(target);
        return [number, `${target.kind} ${target.name}`, ringing.length > 0 ? ringing.join(', ') : '(nobody enabled: callers get voicemail)'];
      }));
      return out(table(['NUMBER', 'ROUTES TO', 'RINGS'], rows));
    }
    case 'route remove': {
      if (!await routing.removeRoute(command.number)) throw new AdminFailure(`${command.number} has no route. See the routes with: ${RUN} route list`);
      return out(`Removed the route of ${command.number}; its callers now hear that the number is not in service.`);
    }
    case 'group add': {
      await requireAgent(command.identity);
      if (!await routing.addGroupMember(command.group, command.identity)) throw new AdminFailure(`${command.identity} already is a member of ${command.group}.`);
      return out(`Added ${command.identity} to ring group ${command.group}.`);
    }
    case 'group remove': {
      if (!await routing.removeGroupMember(command.group, command.identity)) {
        throw new AdminFailure(`${command.identity} is not a member of ring group ${command.group}. See the groups with: ${RUN} group list`);
      }
      out(`Removed ${command.identity} from ring group ${command.group}.`);
      if (!(await routing.listGroups()).some((group) => group.name === command.group)) {
        const numbers = await routing.numbersRoutedTo({ kind: 'group', name: command.group });
        if (numbers.length > 0) warn(`${command.group} has no members left, so ${numbers.join(', ')} ring nobody.`);
      }
      return;
    }
    case 'group strategy': {
      if (!(await routing.listGroups()).some((group) => group.name === command.group)) {
        throw new AdminFailure(`There is no ring group "${command.group}" (a group exists once it has a member). Add one first: ${RUN} group add ${command.group} <identity>`);
      }
      await routing.setGroupStrategy(command.group, command.strategy);
      return out(`Ring group ${command.group} now rings ${STRATEGY_WORDS[command.strategy]}.`);
    }
    case 'group list': {
      const groups = await routing.listGroups();
      if (groups.length === 0) return out(`No ring groups yet. Add a member: ${RUN} group add <name> <identity>`);
      return out(table(['GROUP', 'STRATEGY', 'MEMBERS'], groups.map((group) => [group.name, group.strategy, group.members.join(', ')])));
    }
  }
}

function checkIdentity(value: string | undefined): string {
  if (value === undefined || !isIdentity(value)) {
    throw new UsageError(`${quote(value)} is not a valid agent identity: use ${IDENTITY_RULE} (e.g. alice, j_smith).`);
  }
  return value;
}

function checkGroup(value: string | undefined): string {
  if (value === undefined || !GROUP_PATTERN.test(value)) {
    throw new UsageError(`${quote(value)} is not a valid ring group name: use 1-64 letters, digits, underscores or dashes (e.g. support).`);
  }
  return value;
}

const STRATEGY_WORDS: Readonly<Record<RingStrategy, string>> = {
  'ring-all': 'every available member at once',
  'longest-idle': 'the member available the longest first, then the next',
};

function checkStrategy(value: string | undefined): RingStrategy {
  if (value === undefined || !(RING_STRATEGIES as readonly string[]).includes(value)) {
    throw new UsageError(`${quote(value)} is not a ring strategy: use ${RING_STRATEGIES.join(' or ')}.`);
  }
  return value as RingStrategy;
}

function checkDisplayName(value: string | undefined): string {
  const name = value?.trim() ?? '';
  if (name === '') throw new UsageError('agent add needs --name "<display name>", e.g. --name "Alice Smith".');
  if ([...name].length > DISPLAY_NAME_MAX_LENGTH || hasControlCharacters(name)) {
    throw new UsageError(`The display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters, without control characters.`);
  }
  return name;
}

function checkRole(value: string): AgentRole {
  if (!(ROLES as readonly string[]).includes(value)) throw new UsageError(`${quote(value)} is not a role: use --role agent or --role supervisor.`);
  return value as AgentRole;
}

function checkNumber(value: string | undefined): E164 {
  const parsed = parsePhoneNumber(value ?? '');
  if (!parsed.ok) {
    const problem = parsed.reason === 'invalid' && !/^\s*(\+|00)/.test(value ?? '') ? 'it has no country code' : NUMBER_PROBLEMS[parsed.reason];
    throw new UsageError(`${quote(value)} is not a valid phone number (${problem}): write it in international form as Twilio shows it, e.g. +14155550100.`);
  }
  return parsed.e164;
}

const NUMBER_PROBLEMS: Readonly<Record<ParseFailureReason, string>> = {
  'empty': 'it is empty',
  'too-long': 'it is too long',
  'invalid-characters': 'it has characters other than digits, spaces and +-.()',
  'not-a-number': 'it has no digits',
  'invalid': 'no such number in its country\'s numbering plan',
};

function unknownAgent(identity: string): AdminFailure {
  return new AdminFailure(`There is no agent "${identity}". See the agents with: ${RUN} agent list`);
}

/** Echoes user input safely: quoted, control characters escaped, cut short. */
function quote(value: string | undefined): string {
  return value === undefined ? '(nothing)' : JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function printable(value: string): string {
  return quote(value).slice(1, -1);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return [header, ...rows].map((row) => row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column])).join('  ')).join('\n');
}
