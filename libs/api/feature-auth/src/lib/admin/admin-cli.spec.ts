import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { AgentsRepository, Database, RoutingRepository, SessionsRepository } from '@switchboard/api-data-access-db';
import { verifyPassword } from '../password-hasher';
import { runAdminCli, type AdminIo } from './admin-cli';

const PASSWORD = 'correct horse battery';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one command as the process would: argv, environment and stdin (a pipe unless `stdin` is given). */
async function admin(argv: readonly string[], options: { env?: Record<string, string>; input?: string; stdin?: AdminIo['stdin']; database?: Database | null } = {}): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: AdminIo = {
    env: options.env ?? {},
    stdin: options.stdin ?? Readable.from(options.input === undefined ? [] : [options.input]),
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
  };
  const code = await runAdminCli(argv, io, options.database === null ? {} : { database: options.database ?? database });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

let database: Database;
let agents: AgentsRepository;
let sessions: SessionsRepository;
let routing: RoutingRepository;

beforeAll(async () => {
  database = await Database.open({ url: null, dataDir: 'memory://' });
  await database.migrate();
  agents = new AgentsRepository(database);
  sessions = new SessionsRepository(database);
  routing = new RoutingRepository(database);
});
afterAll(() => database.close());

const withPassword = { env: { ADMIN_PASSWORD: PASSWORD } };

describe('admin: help and usage errors', () => {
  it.each([[[]], [['--help']], [['help']], [['agent', '--help']], [['route', 'set', '--help']]])('%j prints the commands and exits 0', async (argv) => {
    const run = await admin(argv);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('agent add <identity> --name "<display name>"');
    expect(run.stdout).toContain('route set <number> --group <name>');
  });

  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['agent', 'delete', 'x'], /"agent" takes: add, list, disable, enable, password/],
    [['agent', 'list', 'extra'], /agent list takes no arguments/],
    [['agent', 'add', 'zed', '--name', 'Zed', '--colour', 'red'], /Unknown option '--colour'.*Usage: npm run admin -- agent add/],
    [['agent', 'add', 'zed'], /needs --name/],
    [['agent', 'add', 'zed', '--name', '   '], /needs --name/],
    [['agent', 'add', 'zed', '--name', 'Zed', '--role', 'admin'], /"admin" is not a role/],
    [['agent', 'add', 'zed one', '--name', 'Zed'], /"zed one" is not a valid agent identity/],
    [['agent', 'add', 'zëd', '--name', 'Zed'], /"zëd" is not a valid agent identity/],
    [['agent', 'add', 'z'.repeat(122), '--name', 'Zed'], /is not a valid agent identity/],
    [['agent', 'add', 'zed', '--name', 'Zed\u001b[31m'], /without control characters/],
    [['group', 'add', 'sup port', 'alice'], /not a valid ring group name/],
    [['group', 'strategy', 'support', 'round-robin'], /"round-robin" is not a ring strategy: use ring-all or longest-idle/],
    [['group', 'strategy', 'support'], /group strategy takes <name> <strategy>/],
  ])('%j is a usage error (exit 2) that says what to do, and writes nothing', async (argv, message) => {
    const run = await admin(argv, withPassword);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('npm run admin -- --help');
    expect(await agents.findByIdentity('zed')).toBeUndefined();
  });
});

describe('admin: agent add', () => {
  it('creates an enabled agent whose password is the scrypt hash of ADMIN_PASSWORD', async () => {
    const run = await admin(['agent', 'add', 'alice', '--name', 'Alice Smith'], withPassword);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Added agent alice (Alice Smith)');
    const alice = await agents.findByIdentity('alice');
    expect(alice).toMatchObject({ displayName: 'Alice Smith', role: 'agent', enabled: true });
    expect(alice?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(PASSWORD, alice?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('something else entirely', alice?.passwordHash ?? '')).toBe(false);
  });

  it('takes the password from the first line piped on stdin, and the role from --role', async () => {
    const run = await admin(['agent', 'add', 'sue', '--name', 'Sue Supervisor', '--role', 'supervisor'], { input: 'piped password 1\nsecond line\n' });
    expect(run.code).toBe(0);
    const sue = await agents.findByIdentity('sue');
    expect(sue?.role).toBe('supervisor');
    expect(await verifyPassword('piped password 1', sue?.passwordHash ?? '')).toBe(true);
  });

  it('refuses a duplicate identity and leaves the existing agent untouched', async () => {
    const before = await agents.findByIdentity('alice');
    const run = await admin(['agent', 'add', 'alice', '--name', 'Another Alice'], { env: { ADMIN_PASSWORD: 'a different password' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/An agent "alice" already exists.*agent password alice/);
    expect(await agents.findByIdentity('alice')).toEqual(before);
  });

  it.each([
    [['--password', 'hunter2hunter2']],
    [['--password=hunter2hunter2']],
    [['-p', 'hunter2hunter2']],
    [['--PASSWORD', 'hunter2hunter2']],
  ])('refuses a password on the command line (%j) without echoing it', async (flag) => {
    const run = await admin(['agent', 'add', 'mallory', '--name', 'Mallory', ...flag]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/never taken from the command line.*ADMIN_PASSWORD/);
    expect(run.stderr + run.stdout).not.toContain('hunter2');
    expect(await agents.findByIdentity('mallory')).toBeUndefined();
  });

  it.each([
    ['an 11-character password', { env: { ADMIN_PASSWORD: 'short-pw-11' } }, /too short: use at least 12 characters/],
    ['no password at all', {}, /No password given. Set ADMIN_PASSWORD/],
    ['an empty piped line', { input: '\n' }, /too short/],
    ['a password with a tab', { env: { ADMIN_PASSWORD: 'long enough\tpassword' } }, /control characters/],
  ])('refuses %s (exit 2) and creates nothing', async (_label, options, message) => {
    const run = await admin(['agent', 'add', 'trent', '--name', 'Trent'], options);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await agents.findByIdentity('trent')).toBeUndefined();
  });

  it('at a terminal, reads the password with echo off, twice', async () => {
    const terminal = fakeTerminal(['typed at tty 1\r', 'typed at tty 1\r']);
    const run = await admin(['agent', 'add', 'tina', '--name', 'Tina'], { stdin: terminal.stdin });
    expect(run.code).toBe(0);
    expect(terminal.rawModes).toEqual([true, false, true, false]);
    expect(run.stderr).toContain('New password for tina: ');
    expect(run.stderr + run.stdout).not.toContain('typed at tty');
    expect(await verifyPassword('typed at tty 1', (await agents.findByIdentity('tina'))?.passwordHash ?? '')).toBe(true);
  });

  it('at a terminal, two different entries change nothing (exit 1)', async () => {
    const terminal = fakeTerminal(['first entry 123\r', 'second entry 45\r']);
    const run = await admin(['agent', 'add', 'tom', '--name', 'Tom'], { stdin: terminal.stdin });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/two passwords differ; nothing was changed/);
    expect(await agents.findByIdentity('tom')).toBeUndefined();
  });
});

describe('admin: agent list, disable, enable, password', () => {
  beforeAll(async () => {
    await admin(['agent', 'add', 'bob', '--name', 'Bob Jones'], withPassword);
  });

  it('lists every agent with role and status, never a hash', async () => {
    const run = await admin(['agent', 'list']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^IDENTITY\s+ROLE\s+STATUS\s+NAME$/);
    expect(lines.find((l) => l.startsWith('bob '))).toMatch(/^bob\s+agent\s+enabled\s+Bob Jones$/);
    expect(lines.find((l) => l.startsWith('sue '))).toMatch(/supervisor/);
    expect(run.stdout).not.toContain('scrypt');
  });

  it('disable stops sign-in and ends the agent\'s sessions; enable lets them back', async () => {
    const bob = await agents.findByIdentity('bob');
    await sessions.create('session-of-bob', bob?.id as string, new Date(Date.now() + 3_600_000));
    expect(await sessions.findAgent('session-of-bob', new Date())).toBeDefined();

    const disabled = await admin(['agent', 'disable', 'bob']);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('Disabled bob; ended 1 session.');
    expect((await agents.findByIdentity('bob'))?.enabled).toBe(false);
    expect(await sessions.findAgent('session-of-bob', new Date())).toBeUndefined();
    expect((await admin(['agent', 'list'])).stdout).toMatch(/bob\s+agent\s+disabled/);

    expect((await admin(['agent', 'enable', 'bob'])).code).toBe(0);
    expect(await agents.findEnabled('bob')).toBeDefined();
    // The ended session stays ended: enabling is no way back into an old cookie.
    expect(await sessions.findAgent('session-of-bob', new Date())).toBeUndefined();
  });

  it('password replaces the hash and ends every session of that agent only', async () => {
    const [bob, alice] = [await agents.findByIdentity('bob'), await agents.findByIdentity('alice')];
    await sessions.create('bob-laptop', bob?.id as string, new Date(Date.now() + 3_600_000));
    await sessions.create('bob-phone', bob?.id as string, new Date(Date.now() + 3_600_000));
    await sessions.create('alice-laptop', alice?.id as string, new Date(Date.now() + 3_600_000));

    const run = await admin(['agent', 'password', 'bob'], { input: 'a brand new passphrase\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Changed the password of bob; ended 2 sessions.');
    const hash = (await agents.findByIdentity('bob'))?.passwordHash ?? '';
    expect(await verifyPassword('a brand new passphrase', hash)).toBe(true);
    expect(await verifyPassword(PASSWORD, hash)).toBe(false);
    expect(await sessions.findAgent('bob-laptop', new Date())).toBeUndefined();
    expect(await sessions.findAgent('bob-phone', new Date())).toBeUndefined();
    expect((await sessions.findAgent('alice-laptop', new Date()))?.identity).toBe('alice');
  });

  it('a short new password changes nothing', async () => {
    const before = (await agents.findByIdentity('bob'))?.passwordHash;
    const run = await admin(['agent', 'password', 'bob'], { input: 'too short\n' });
    expect(run.code).toBe(2);
    expect((await agents.findByIdentity('bob'))?.passwordHash).toBe(before);
  });

  it.each([['disable'], ['enable'], ['password']])('agent %s of an unknown agent fails (exit 1) and points to agent list', async (verb) => {
    const run = await admin(['agent', verb, 'nobody'], withPassword);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/There is no agent "nobody".*agent list/);
  });
});

describe('admin: routes and ring groups', () => {
  beforeAll(async () => {
    await admin(['agent', 'add', 'carol', '--name', 'Carol'], withPassword);
    await admin(['agent', 'add', 'dave', '--name', 'Dave'], withPassword);
  });

  it('group add / list / remove manage members of known agents', async () => {
    expect((await admin(['group', 'add', 'support', 'carol'])).code).toBe(0);
    expect((await admin(['group', 'add', 'support', 'dave'])).code).toBe(0);
    expect(await routing.enabledAgentsOf({ kind: 'group', name: 'support' })).toEqual(['carol', 'dave']);
    const list = await admin(['group', 'list']);
    expect(list.stdout).toMatch(/^GROUP\s+STRATEGY\s+MEMBERS\nsupport\s+ring-all\s+carol, dave\n$/);

    const duplicate = await admin(['group', 'add', 'support', 'carol']);
    expect(duplicate).toMatchObject({ code: 1 });
    expect(duplicate.stderr).toContain('carol already is a member of support');
    const unknown = await admin(['group', 'add', 'support', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no agent "nobody"');
    const notMember = await admin(['group', 'remove', 'sales', 'carol']);
    expect(notMember.code).toBe(1);
    expect(notMember.stderr).toContain('carol is not a member of ring group sales');
    expect(await routing.listGroups()).toEqual([{ name: 'support', members: ['carol', 'dave'], strategy: 'ring-all' }]);
  });

  it('group strategy sets how a group rings, shown by group list; a group without members fails (exit 1)', async () => {
    const set = await admin(['group', 'strategy', 'support', 'longest-idle']);
    expect(set).toMatchObject({ code: 0, stdout: 'Ring group support now rings the member available the longest first, then the next.\n' });
    expect(await routing.strategyOf({ kind: 'group', name: 'support' })).toBe('longest-idle');
    expect((await admin(['group', 'list'])).stdout).toMatch(/\nsupport\s+longest-idle\s+carol, dave\n$/);
    const missing = await admin(['group', 'strategy', 'sales', 'longest-idle']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no ring group "sales".*group add sales <identity>/);
    expect((await admin(['group', 'strategy', 'support', 'ring-all'])).code).toBe(0);
    expect(await routing.strategyOf({ kind: 'group', name: 'support' })).toBe('ring-all');
  });

  it('route set normalizes the number to E.164 and replaces an earlier route of it', async () => {
    const toAgent = await admin(['route', 'set', '+44 20 7946 0958', '--agent', 'carol']);
    expect(toAgent).toMatchObject({ code: 0, stdout: '+442079460958 now rings agent carol.\n' });
    expect(await routing.routeFor('+442079460958')).toEqual({ kind: 'agent', name: 'carol' });

    expect((await admin(['route', 'set', '+442079460958', '--group', 'support'])).code).toBe(0);
    expect(await routing.routeFor('+442079460958')).toEqual({ kind: 'group', name: 'support' });
    expect((await admin(['route', 'set', '+14155550100', '--agent', 'dave'])).code).toBe(0);

    const list = await admin(['route', 'list']);
    expect(list.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^NUMBER\s+ROUTES TO\s+RINGS$/),
      expect.stringMatching(/^\+14155550100\s+agent dave\s+dave$/),
      expect.stringMatching(/^\+442079460958\s+group support\s+carol, dave$/),
    ]);
  });

  it.each([
    [['route', 'set', 'hello', '--agent', 'carol'], /"hello" is not a valid phone number \(it has characters other than digits, spaces and \+-\.\(\)\).*\+14155550100/],
    [['route', 'set', '+1 555', '--agent', 'carol'], /is not a valid phone number/],
    [['route', 'set', '+99912345678', '--agent', 'carol'], /\(no such number in its country's numbering plan\)/],
    [['route', 'set', '020 7946 0958', '--agent', 'carol'], /\(it has no country code\): write it in international form/],
    [['route', 'set', '+442079460959', '--agent', 'carol', '--group', 'support'], /exactly one of --agent <identity> or --group <name>/],
    [['route', 'set', '+442079460959'], /exactly one of --agent/],
    [['route', 'remove', 'not a number'], /is not a valid phone number/],
  ])('%j is a usage error (exit 2) and writes no route', async (argv, message) => {
    const before = await routing.listRoutes();
    const run = await admin(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await routing.listRoutes()).toEqual(before);
  });

  it('route set to an unknown agent or a group without members fails (exit 1)', async () => {
    const agent = await admin(['route', 'set', '+442079460959', '--agent', 'nobody']);
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('There is no agent "nobody"');
    const group = await admin(['route', 'set', '+442079460959', '--group', 'sales']);
    expect(group.code).toBe(1);
    expect(group.stderr).toMatch(/no ring group "sales".*group add sales <identity>/);
    expect(await routing.routeFor('+442079460959')).toBeUndefined();
  });

  it('route set to a disabled agent works but warns that it rings nobody', async () => {
    await admin(['agent', 'disable', 'dave']);
    const run = await admin(['route', 'set', '+442079460960', '--agent', 'dave']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: dave is disabled/);
    expect((await admin(['route', 'list'])).stdout).toMatch(/\+442079460960\s+agent dave\s+\(nobody enabled: callers get voicemail\)/);
    await admin(['agent', 'enable', 'dave']);
  });

  it('removing the last member of a routed group warns which numbers now ring nobody', async () => {
    await admin(['group', 'add', 'night', 'carol']);
    await admin(['route', 'set', '+442079460961', '--group', 'night']);
    const run = await admin(['group', 'remove', 'night', 'carol']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: night has no members left, so +442079460961 ring nobody.');
  });

  it('route remove deletes the route; an unrouted number fails (exit 1)', async () => {
    expect((await admin(['route', 'remove', '+1 415 555 0100'])).code).toBe(0);
    expect(await routing.routeFor('+14155550100')).toBeUndefined();
    const again = await admin(['route', 'remove', '+14155550100']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\+14155550100 has no route.*route list/);
  });
});

describe('admin: configuration and the database it opens', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'sb-admin-')); });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens and migrates the embedded database under DATA_DIR, needing no Twilio variables in twilio mode', async () => {
    const env = { SWITCHBOARD_MODE: 'twilio', DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD };
    const run = await admin(['agent', 'add', 'erin', '--name', 'Erin'], { env, database: null });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const reopened = await Database.open({ url: null, dataDir });
    try {
      expect(await reopened.migrate()).toEqual([]);
      expect((await new AgentsRepository(reopened).findByIdentity('erin'))?.displayName).toBe('Erin');
      // While another process (here: this test, as the API would) holds the embedded database, the admin refuses.
      const busy = await admin(['agent', 'list'], { env, database: null });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/in use by process \d+.*stop the API first/);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a bad DATABASE_URL as the API does, without echoing it', async () => {
    const run = await admin(['agent', 'list'], { env: { DATABASE_URL: 'mysql://root:s3cret@db/x' }, database: null });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DATABASE_URL must start with postgres://');
    expect(run.stderr).not.toContain('s3cret');
  });
});

/** A terminal: stdin with isTTY and raw mode; each chunk is typed when a prompt appears on stderr. */
function fakeTerminal(typed: string[]): { stdin: AdminIo['stdin']; rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const stream = new PassThrough();
  const stdin = Object.assign(stream, {
    isTTY: true,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      // Raw mode on means a prompt is waiting: type the next entry.
      const next = mode ? typed.shift() : undefined;
      if (next !== undefined) setImmediate(() => stream.write(next));
      return stdin;
    },
  });
  return { stdin, rawModes };
}
