import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { QueueRepository } from '@switchboard/api-data-access-db';
import { QueueWaitController } from './queue-wait.controller';
import { NOT_YET_QUEUED_TWIML, queuePositionMessage } from './queue-wait';

const SID = `CA${'cd'.repeat(16)}`;

describe('QueueWaitController', () => {
  const config = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox' });
  const controllerWith = (queue: Partial<QueueRepository>) => new QueueWaitController(queue as QueueRepository, config);

  it("says the queued caller's current position", async () => {
    const controller = controllerWith({ find: jest.fn(async () => ({}) as never), position: jest.fn(async () => 3) });
    expect(await controller.queueWait({ call: SID })).toContain(`<Say>${queuePositionMessage(3)}</Say>`);
  });

  it('pauses a second for a caller not queued yet (fetched again at once), and only plays music once they left the queue', async () => {
    expect(await controllerWith({ find: jest.fn(async () => undefined) }).queueWait({ call: SID })).toBe(NOT_YET_QUEUED_TWIML);
    const left = await controllerWith({ find: jest.fn(async () => ({}) as never), position: jest.fn(async () => null) }).queueWait({ call: SID });
    expect(left).not.toContain('<Say>');
    expect(left).toContain('<Play>');
  });

  it('still answers music when the call is missing or the database fails (never an application error)', async () => {
    const failing = controllerWith({ find: jest.fn(async () => { throw new Error('database down'); }) });
    expect(await failing.queueWait({ call: SID })).toContain('<Play>');
    expect(await failing.queueWait({ call: 'not-a-sid' })).toContain('<Play>');
    expect(await failing.queueWait({})).not.toContain('<Say>');
  });
});
