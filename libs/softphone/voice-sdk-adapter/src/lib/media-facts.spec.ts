import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codecName, pathFactsFromStats, peerConnectionOf } from './media-facts';
import { FakeSdkCall } from './testing/fake-sdk';

const stats = (entries: Record<string, unknown>[]) => new Map(entries.map((e) => [String(e['id']), e]));

describe('media facts', () => {
  it('reads the selected pair of the transport (Chrome), its candidate types and network type, and the audio codec', () => {
    const facts = pathFactsFromStats(
      stats([
        { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP2' },
        { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: true, state: 'succeeded' },
        { id: 'CP2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R2' },
        { id: 'L1', type: 'local-candidate', candidateType: 'host', networkType: 'ethernet' },
        { id: 'L2', type: 'local-candidate', candidateType: 'srflx', networkType: 'wifi' },
        { id: 'R2', type: 'remote-candidate', candidateType: 'relay' },
        { id: 'IN', type: 'inbound-rtp', kind: 'audio', codecId: 'C1' },
        { id: 'C1', type: 'codec', mimeType: 'audio/opus' },
      ]),
    );
    expect(facts).toEqual({ codec: 'opus', localCandidateType: 'srflx', remoteCandidateType: 'relay', networkType: 'wifi' });
  });

  it('falls back to the pair marked selected (Firefox) and says null for what it cannot know', () => {
    const facts = pathFactsFromStats(
      stats([
        { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', selected: true },
        { id: 'L1', type: 'local-candidate', candidateType: 'host' },
        { id: 'R1', type: 'remote-candidate', candidateType: 'host' },
      ]),
    );
    expect(facts).toEqual({ codec: null, localCandidateType: 'host', remoteCandidateType: 'host', networkType: null });
    expect(codecName('PCMU')).toBe('pcmu');
  });

  it('finds the peer connection in the private _mediaHandler.version.pc, and null when the shape is not there', () => {
    const call = new FakeSdkCall({});
    expect(peerConnectionOf(call)).toBeNull();
    const pc = { getStats: async () => new Map() } as unknown as RTCPeerConnection;
    call._mediaHandler = { version: { pc } };
    expect(peerConnectionOf(call)).toBe(pc);
  });

  it('check: the installed SDK still keeps the peer connection where peerConnectionOf looks (call._mediaHandler.version.pc)', () => {
    // The package's exports map hides package.json; the workspace's node_modules is five levels up.
    const root = join(__dirname, '..', '..', '..', '..', '..', 'node_modules', '@twilio', 'voice-sdk', 'esm', 'twilio');
    const callJs = readFileSync(join(root, 'call.js'), 'utf8');
    const peerConnectionJs = readFileSync(join(root, 'rtc', 'peerconnection.js'), 'utf8');
    expect(callJs).toMatch(/this\._mediaHandler = new/);
    expect(peerConnectionJs).toMatch(/this\.version\.pc\b/);
  });
});
