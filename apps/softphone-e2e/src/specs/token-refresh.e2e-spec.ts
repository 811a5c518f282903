import type { VoiceTokenResponse } from '@switchboard/shared-contracts';
import { expect, test } from '../support/fixtures';
import { eventually, signIn, waitForChip } from '../support/softphone';
import { callRecord, chipHistory, recordChipStates, sinceFirstRegistered } from '../support/agent-records';

/**
 * The shortest token the API issues (60 s) and the SDK warned 50 s before expiry, so the softphone
 * refreshes about every 10 s. The sandbox ends a registration when its token's `exp` passes, so
 * staying registered past the first token's expiry proves the refreshed token reached the SDK.
 */
const TOKEN_TTL_SECONDS = 60;
const TOKEN_REFRESH_MS = 50_000;
const TOKEN_PATH = '/api/voice/token';

// Settings the shared stack does not have: this spec gets a worker, and a stack, of its own.
test.use({ stackOptions: { apiEnv: { VOICE_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS), TOKEN_REFRESH_MS: String(TOKEN_REFRESH_MS) } } });

test.describe('short-lived voice tokens', () => {
  test('refreshes the token while bob stays online past its expiry, and a call after that still rings', async ({ stack, newAgent }) => {
    const bob = await newAgent();
    await recordChipStates(bob.context);
    const tokens: { status: number; expiresAt?: string }[] = [];
    bob.page.on('response', (response) => {
      if (response.request().method() !== 'POST' || new URL(response.url()).pathname !== TOKEN_PATH) return;
      const entry: { status: number; expiresAt?: string } = { status: response.status() };
      tokens.push(entry); // in arrival order; the body fills in when read
      if (response.ok()) {
        // The body may be gone once the context closes at the end of the test; then there is nothing to note.
        response.json().then((body: VoiceTokenResponse) => (entry.expiresAt = body.expiresAt), () => undefined);
      }
    });

    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(bob.page, 'registered');
    const first = await eventually(async () => tokens[0], (token) => token?.expiresAt !== undefined, 10_000, 'the first token');
    const firstExpiry = Date.parse(first.expiresAt as string);

    // Wait (on the page's own requests) until two refreshes happened and the first token has expired.
    await eventually(
      async () => ({ issued: tokens.filter((t) => t.expiresAt !== undefined).length, expired: Date.now() > firstExpiry }),
      ({ issued, expired }) => issued >= 3 && expired,
      (TOKEN_TTL_SECONDS + 30) * 1000,
      'two token refreshes and the first token expired',
    );
    expect(tokens.every((token) => token.status === 200)).toBe(true);
    // Each refresh brought a later expiry (every response read so far).
    const expiries = tokens.filter((token) => token.expiresAt !== undefined).map((token) => Date.parse(token.expiresAt as string));
    expect(expiries.slice(1).every((expiry, i) => expiry > expiries[i])).toBe(true);

    // Bob never left 'registered' once online; the sandbox still has him registered.
    expect(sinceFirstRegistered(await chipHistory(bob.page))).toEqual(['registered']);
    const calls = await stack.sandbox<{ registrations: Record<string, number> }>('GET', '/sandbox/calls');
    expect(calls.body.registrations['bob']).toBe(1);

    // A call after the refreshes still rings bob (the support number's group).
    const placed = await stack.sandbox<{ callSid: string }>('POST', '/sandbox/inbound', {
      from: '+14155550178',
      to: '+14155550100',
      script: [{ wait: 60 }, { hangup: true }],
    });
    expect(placed.status).toBe(201);
    await bob.page.getByTestId('incoming-card').waitFor();
    // The number as the card formats it (national or international by the browser's country): its digits are there.
    expect((await bob.page.getByTestId('incoming-caller').innerText()).replace(/\D/g, '')).toContain('4155550178');
    expect(await callRecord(bob.page, stack.apiUrl, placed.body.callSid)).toMatchObject({ direction: 'inbound', from: '+14155550178' });
    await bob.page.getByTestId('decline-button').click();
    await bob.page.getByTestId('incoming-card').waitFor({ state: 'detached' });
    expect(sinceFirstRegistered(await chipHistory(bob.page))).toEqual(['registered']);
  });
});
