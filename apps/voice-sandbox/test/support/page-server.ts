import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves the test page over http://127.0.0.1 (a secure context, so getUserMedia works). The page
 * wraps RTCPeerConnection before the SDK loads so tests can read getStats() of the SDK's connections.
 */
export async function startPageServer(sdkBundle: string): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>voice sandbox test</title>
<script>
  window.peerConnections = [];
  const NativePeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new NativePeerConnection(...args);
    window.peerConnections.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = NativePeerConnection.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, NativePeerConnection);
</script>
<script src="/voice-sdk.js"></script>
<script>
  // Page-side driver: tests call these through page.evaluate("t.…") and wait on t.events.
  window.t = {
    device: null, incoming: null, call: null, events: [], errors: [],
    record(tag, call) {
      for (const name of ['ringing', 'accept', 'disconnect', 'cancel', 'reject', 'reconnecting', 'reconnected']) {
        call.on(name, () => this.events.push(tag + ':' + name));
      }
      call.on('error', (e) => this.events.push(tag + ':error:' + e.code));
    },
    async start(token, options) {
      const device = new Twilio.Device(token, options);
      this.device = device;
      device.on('error', (e) => this.errors.push(e.code));
      device.on('incoming', (call) => { this.incoming = call; this.record('in', call); this.events.push('incoming'); });
      try { await device.register(); return 'registered'; } catch (e) { return 'failed:' + this.errors.join(','); }
    },
    async connect(params) { this.call = await this.device.connect({ params }); this.record('out', this.call); return this.call.status(); },
    has(name) { return this.events.includes(name); },
    async inboundAudio() {
      const pc = window.peerConnections[window.peerConnections.length - 1];
      if (!pc) return null;
      let found = null;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') found = { bytesReceived: s.bytesReceived || 0, audioLevel: s.audioLevel || 0, samples: s.totalSamplesReceived, discarded: s.packetsDiscarded, pcs: window.peerConnections.length, ice: pc.iceConnectionState };
      });
      return found;
    },
    reset() { this.incoming = null; this.call = null; this.events = []; },
  };
</script></head><body>voice sandbox test page</body></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/voice-sdk.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(sdkBundle);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
