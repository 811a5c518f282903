import type { RTCIceTransport, RTCPeerConnection } from 'werift';

export type IceRestartOutcome = 'connected' | 'failed';

/**
 * Completes an ICE restart that werift 0.24.4 only half does. An offer or answer with new ICE
 * credentials makes werift reset its ICE agent (new local ufrag/pwd, no selected pair, no consent),
 * but its `connect()` skips every transport whose DTLS is already connected, so no connectivity
 * checks run for the new ICE generation: the agent never selects a pair, every RTP send is dropped,
 * and the browser (whose checks we still answer) shows ICE and DTLS connected while hearing nothing.
 *
 * Starting the reset ICE transport ourselves runs the checks on the existing DTLS transport: the
 * browser keeps its DTLS session through an ICE restart, so the SRTP keys stay valid and media
 * resumes as soon as a pair is selected. Call after each local answer or remote answer; transports
 * that are not in that half-restarted state (first negotiation, or already restarted) are left alone.
 * Resolves once each restarted transport is connected or has failed (never, while the peer is silent).
 */
export async function resumeRestartedIce(pc: RTCPeerConnection): Promise<IceRestartOutcome | undefined> {
  const restarted = pc.dtlsTransports.filter((dtls) => {
    const ice = dtls.iceTransport;
    // After a restart werift reports the gathering's "completed" as the transport's state, so the sign
    // of a half-done restart is a DTLS session still up over an ICE generation that has no selected pair.
    return (
      dtls.state === 'connected' &&
      ice.state !== 'closed' &&
      ice.role !== 'unknown' &&
      !ice.connection.nominated &&
      startedGeneration.get(ice) !== ice.connection.generation
    );
  });
  if (restarted.length === 0) return undefined;
  const results = await Promise.allSettled(
    restarted.map((dtls) => {
      startedGeneration.set(dtls.iceTransport, dtls.iceTransport.connection.generation);
      return dtls.iceTransport.start();
    }),
  );
  return results.every((result) => result.status === 'fulfilled') ? 'connected' : 'failed';
}

/** The ICE generation this module last started checks for, per transport (a re-answer must not start them twice). */
const startedGeneration = new WeakMap<RTCIceTransport, number>();
