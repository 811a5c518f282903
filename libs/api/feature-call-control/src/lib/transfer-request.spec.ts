import { HttpStatus } from '@nestjs/common';
import { CallControlException } from './call-control-errors';
import type { ColdTransfers } from './cold-transfers.service';
import { toTransferRequest, type TransferBody } from './transfer-request';
import { TransferStatusController } from './transfer-status.controller';

const codeOf = (body: unknown) => {
  try {
    toTransferRequest(body as TransferBody);
  } catch (error) {
    if (error instanceof CallControlException) return [error.getStatus(), error.code, error.field];
    throw error;
  }
  return 'accepted';
};

describe('toTransferRequest', () => {
  it('accepts each target kind with exactly its own field', () => {
    expect(toTransferRequest({ mode: 'cold', target: { kind: 'agent', identity: 'alice' } })).toEqual({ mode: 'cold', target: { kind: 'agent', identity: 'alice' } });
    expect(toTransferRequest({ mode: 'cold', target: { kind: 'ring-group', id: 'support' } })).toEqual({ mode: 'cold', target: { kind: 'ring-group', id: 'support' } });
    expect(toTransferRequest({ mode: 'consult', target: { kind: 'number', number: '+14155550111' } }))
      .toEqual({ mode: 'consult', target: { kind: 'number', number: '+14155550111' } });
  });

  it.each([
    ['no body', undefined, 'mode'],
    ['an unknown mode', { mode: 'warm', target: { kind: 'agent', identity: 'alice' } }, 'mode'],
    ['no target', { mode: 'cold' }, 'target'],
    ['a target array', { mode: 'cold', target: [] }, 'target'],
    ['an unknown kind', { mode: 'cold', target: { kind: 'queue', id: 'x' } }, 'target'],
    ['an agent with a bad identity', { mode: 'cold', target: { kind: 'agent', identity: 'a b' } }, 'target'],
    ['an agent with another kind\'s field', { mode: 'cold', target: { kind: 'agent', identity: 'alice', number: '+14155550111' } }, 'target'],
    ['a number not in E.164', { mode: 'cold', target: { kind: 'number', number: '4155550111' } }, 'target'],
    ['a number that is not a string', { mode: 'cold', target: { kind: 'number', number: 14155550111 } }, 'target'],
    ['a group id with a slash', { mode: 'cold', target: { kind: 'ring-group', id: '../x' } }, 'target'],
  ])('refuses %s with 400 invalid-request', (_what, body, field) => {
    expect(codeOf(body)).toEqual([HttpStatus.BAD_REQUEST, 'invalid-request', field]);
  });
});

describe('TransferStatusController', () => {
  const applied: unknown[] = [];
  const controller = new TransferStatusController({ onLegStatus: async (...args: unknown[]) => { applied.push(args); } } as unknown as ColdTransfers);
  const transferId = '0b0d186b-cca9-4640-9d70-a7498b2123f4';
  const callSid = `CA${'a'.repeat(32)}`;
  beforeEach(() => { applied.length = 0; });

  it('applies a well-formed leg status to its transfer', async () => {
    await controller.transferStatus(transferId, { CallSid: callSid, CallStatus: 'in-progress' });
    expect(applied).toEqual([[transferId, callSid, 'in-progress']]);
  });

  it.each([
    ['no transfer', undefined, { CallSid: callSid, CallStatus: 'ringing' }],
    ['a malformed transfer', 'x', { CallSid: callSid, CallStatus: 'ringing' }],
    ['a malformed CallSid', transferId, { CallSid: 'CA1', CallStatus: 'ringing' }],
    ['an unknown CallStatus', transferId, { CallSid: callSid, CallStatus: 'exploded' }],
    ['a repeated CallStatus', transferId, { CallSid: callSid, CallStatus: ['ringing', 'in-progress'] }],
  ])('ignores a callback with %s (answered 204, nothing applied)', async (_what, transfer, body) => {
    await expect(controller.transferStatus(transfer, body)).resolves.toBeUndefined();
    expect(applied).toEqual([]);
  });

  it('answers 503 when the record cannot be updated, so the provider retries', async () => {
    const failing = new TransferStatusController({ onLegStatus: async () => { throw new Error('database down'); } } as unknown as ColdTransfers);
    await expect(failing.transferStatus(transferId, { CallSid: callSid, CallStatus: 'ringing' })).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
  });
});
