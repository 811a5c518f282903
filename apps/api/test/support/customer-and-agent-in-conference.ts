import { randomBytes } from 'node:crypto';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';

/**
 * Over REST, as the API dials: a scripted customer (answers and echoes) anchored in a new conference, then a
 * scripted leg (answers with a tone) labelled `agentLabel`, as a softphone leg is, in the same conference.
 * Both send the API's call and conference callbacks. Returns the sids as soon as both are dialled: what the
 * API has recorded by then is for the caller to await.
 */
export async function dialCustomerAndAgentIntoConference(
  commands: ConferenceCommands, callerId: string, agentLabel: string,
): Promise<{ conferenceSid: string; customer: string; agentLeg: string }> {
  const dial = {
    from: callerId, timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false as const,
    callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
    conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute'] as const,
  };
  const customer = await commands.addParticipant({ ...dial, conference: { friendlyName: `call-${randomBytes(4).toString('hex')}` }, to: SANDBOX_NUMBERS.answersAndEchoes, label: 'customer' });
  const agentLeg = await commands.addParticipant({ ...dial, conference: { sid: customer.conferenceSid }, to: SANDBOX_NUMBERS.answersWithTone, label: agentLabel });
  return { conferenceSid: customer.conferenceSid, customer: customer.callSid, agentLeg: agentLeg.callSid };
}
