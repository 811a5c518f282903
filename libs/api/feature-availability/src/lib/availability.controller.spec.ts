import { HttpStatus } from '@nestjs/common';
import type { AgentsRepository } from '@switchboard/api-data-access-db';
import { FieldException, REQUIRED_ROLE_KEY, type SessionAgent } from '@switchboard/api-http-boundary';
import { createValidationPipe } from '@switchboard/api-http-boundary';
import { AvailabilityController, SetAgentAvailabilityBody, SetAvailabilityBody } from './availability.controller';
import type { AgentAvailabilityService } from './availability.service';

const sam: SessionAgent = { id: '3', identity: 'sam', displayName: 'Sam Supervisor', role: 'supervisor' };

describe('AvailabilityController', () => {
  const calls: unknown[][] = [];
  const service = {
    setBySupervisor: async (...args: unknown[]) => { calls.push(args); return { identity: args[1], state: 'available' }; },
  } as unknown as AgentAvailabilityService;
  const agents = {
    findEnabled: async (identity: string) => (identity === 'bob' ? { identity: 'bob' } : undefined),
  } as unknown as AgentsRepository;
  const controller = new AvailabilityController(service, agents);

  it("lets only supervisors set another agent's state", () => {
    expect(Reflect.getMetadata(REQUIRED_ROLE_KEY, AvailabilityController.prototype.setForAgent)).toBe('supervisor');
    expect(Reflect.getMetadata(REQUIRED_ROLE_KEY, AvailabilityController.prototype.setOwn)).toBeUndefined();
  });

  it('sets an enabled agent, naming the supervisor', async () => {
    await controller.setForAgent(sam, 'bob', { state: 'available' });
    expect(calls).toEqual([['sam', 'bob', { state: 'available' }]]);
  });

  it.each(['carol', '../bob', ''])('answers 404 naming identity for %j, setting nothing', async (identity) => {
    calls.length = 0;
    const error = await controller.setForAgent(sam, identity, { state: 'available' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldException);
    expect(error).toMatchObject({ field: 'identity' });
    expect((error as FieldException).getStatus()).toBe(HttpStatus.NOT_FOUND);
    expect(calls).toEqual([]);
  });

  describe('bodies', () => {
    const pipe = createValidationPipe();
    const validate = (metatype: unknown, value: unknown) => pipe.transform(value, { type: 'body', metatype: metatype as never });
    const field = (promise: Promise<unknown>) => promise.then(() => 'accepted', (e: FieldException) => e.field);

    it('takes the documented fields', async () => {
      await expect(validate(SetAvailabilityBody, { state: 'available', disposition: 'resolved', note: 'Done' })).resolves.toBeInstanceOf(SetAvailabilityBody);
      await expect(validate(SetAgentAvailabilityBody, { state: 'away', reason: 'break' })).resolves.toBeInstanceOf(SetAgentAvailabilityBody);
    });

    it('names the field that is wrong', async () => {
      expect(await field(validate(SetAvailabilityBody, { state: 'available', note: 'x'.repeat(501) }))).toBe('note');
      expect(await field(validate(SetAvailabilityBody, { state: 7 }))).toBe('state');
      expect(await field(validate(SetAvailabilityBody, { reason: 'break' }))).toBe('state');
      // A supervisor cannot close another agent's wrap-up with a disposition of their own.
      expect(await field(validate(SetAgentAvailabilityBody, { state: 'available', disposition: 'resolved' }))).toBe('disposition');
    });
  });
});
