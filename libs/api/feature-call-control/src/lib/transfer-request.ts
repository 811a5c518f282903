import { HttpStatus } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { isIdentity, TRANSFER_MODES, type TransferMode, type TransferRequest, type TransferTarget } from '@switchboard/shared-contracts';
import { isE164 } from '@switchboard/shared-util-phone';
import { IsIn, IsObject } from 'class-validator';
import { CallControlException } from './call-control-errors';

export class TransferBody {
  @ApiProperty({ description: "{ kind: 'agent', identity } | { kind: 'ring-group', id } | { kind: 'number', number (E.164) }" })
  @IsObject({ message: 'target must be an object' })
  readonly target!: Record<string, unknown>;

  @ApiProperty({ enum: TRANSFER_MODES })
  @IsIn(TRANSFER_MODES, { message: `mode must be one of ${TRANSFER_MODES.join(', ')}` })
  readonly mode!: TransferMode;
}

const invalid = (message: string, field: string) => new CallControlException(HttpStatus.BAD_REQUEST, 'invalid-request', message, field);

/** Group names as the routing table stores them (letters, digits, `_`, `-`, `.`). */
const GROUP_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The body as the contract's TransferRequest, or 400 invalid-request: the validation pipe checks the
 * outer shape (and lets an absent body through); the target's union is checked here, each kind with
 * exactly its own field. A number must be E.164, as the dialer sends it; the policy judges it later.
 */
export function toTransferRequest(body: TransferBody | undefined): TransferRequest {
  if (typeof body !== 'object' || body === null || !TRANSFER_MODES.includes(body.mode)) throw invalid(`mode must be one of ${TRANSFER_MODES.join(', ')}`, 'mode');
  const target = body.target;
  if (typeof target !== 'object' || target === null || Array.isArray(target)) throw invalid('target must be an object', 'target');
  const only = (field: string) => Object.keys(target).every((key) => key === 'kind' || key === field);
  let parsed: TransferTarget;
  if (target['kind'] === 'agent' && only('identity') && typeof target['identity'] === 'string' && isIdentity(target['identity'])) parsed = { kind: 'agent', identity: target['identity'] };
  else if (target['kind'] === 'ring-group' && only('id') && typeof target['id'] === 'string' && GROUP_ID.test(target['id'])) parsed = { kind: 'ring-group', id: target['id'] };
  else if (target['kind'] === 'number' && only('number') && isE164(target['number'])) parsed = { kind: 'number', number: target['number'] };
  else throw invalid("target must be { kind: 'agent', identity }, { kind: 'ring-group', id } or { kind: 'number', number } with an E.164 number", 'target');
  return { target: parsed, mode: body.mode };
}
