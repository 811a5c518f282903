/**
 * What the sandbox measured on its side of one call leg's media (RTP it received from and sent to the
 * party), kept after the leg ends for the Voice Insights Call Summary (`GET /v1/Voice/{CallSid}/Summary`).
 * "inbound" and "outbound" are from the sandbox's (Twilio's edge's) point of view, as in Twilio's summary.
 */
export interface MediaLegStats {
  /** The codec the leg settled on (`pcmu` or `opus`), absent before negotiation. */
  readonly codecName?: string;
  readonly payloadType?: number;
  readonly inbound: {
    readonly packetsReceived: number;
    /** Sequence-number gaps, which include packets a packet-loss fault dropped on the way in. */
    readonly packetsLost: number;
    /** RFC 3550 interarrival jitter, milliseconds; null before two packets arrived. */
    readonly jitterAvgMs: number | null;
    readonly jitterMaxMs: number | null;
    /** Peak absolute sample of the decoded audio (0 is digital silence), for the `silence` tag. */
    readonly peakLevel: number;
  };
  readonly outbound: {
    readonly packetsSent: number;
    /** Packets a stall or packet-loss fault kept from being sent: the party never got them. */
    readonly packetsLost: number;
  };
  /** Round-trip time from the party's RTCP receiver reports, milliseconds; null without any. */
  readonly rttAvgMs: number | null;
  readonly rttMaxMs: number | null;
}
