import type { Voicemail } from '@switchboard/shared-contracts';
import { expect, test } from '../support/fixtures';
import { eventually, signIn, waitForChip } from '../support/softphone';
import { callRecord, voicemails } from '../support/agent-records';
import { sandboxCalls } from '../support/call-checks';
import { conferenceParticipants } from '../support/conference';

/**
 * The API's default ring time (DIAL_TIMEOUT_SECONDS=20) would make every missed-call test wait 20 s;
 * a private stack rings for 10 s, still plenty for the card to show.
 */
const DIAL_TIMEOUT_SECONDS = 10;
const SUPPORT_NUMBER = '+14155550100';
const CALLER = '+14155550177';
const CALLER_NATIONAL_DIGITS = '4155550177';

// Settings the shared stack does not have: this spec gets a worker, and a stack, of its own.
test.use({ stackOptions: { apiEnv: { DIAL_TIMEOUT_SECONDS: String(DIAL_TIMEOUT_SECONDS) } } });

test.describe('a missed call to the support number reaches voicemail', () => {
  test("rings bob's group, takes the caller's message, and bob plays it and marks it heard", async ({ stack, newAgent }) => {
    const bob = await newAgent();
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(bob.page, 'registered');
    const before = await voicemails(bob.page, stack.apiUrl);

    // The caller waits out the ring, then "speaks" (a tone) through the greeting, the beep and the recording.
    // The script runs from the moment the call is placed; only what is said once <Record> starts is kept.
    const placed = await stack.sandbox<{ callSid: string }>('POST', '/sandbox/inbound', {
      from: CALLER,
      to: SUPPORT_NUMBER,
      script: [{ wait: DIAL_TIMEOUT_SECONDS }, { tone: { hz: 440, seconds: 14 } }, { hangup: true }],
    });
    expect(placed.status).toBe(201);
    const callSid = placed.body.callSid;

    // Bob's phone rings with the caller's number; nobody answers, so the card goes away on its own.
    const card = bob.page.getByTestId('incoming-card');
    await card.waitFor();
    // Formatted national or international by the browser's country: the national digits show either way.
    expect((await bob.page.getByTestId('incoming-caller').innerText()).replace(/\D/g, '')).toContain(CALLER_NATIONAL_DIGITS);
    // The caller waits in a conference of their own (sb-<CallSid>, not started until an agent joins) while the
    // API rings bob into it over REST: his ringing leg is its participant labelled client:bob.
    const bobParticipant = await eventually(
      async () => (await conferenceParticipants(stack, callSid, { beforeStart: true })).find((p) => p.label === 'client:bob'),
      (p) => p !== undefined,
      10_000,
      "bob's ringing participant in the caller's conference",
    );
    const bobLegSid = bobParticipant?.call_sid as string;
    await card.waitFor({ state: 'detached', timeout: (DIAL_TIMEOUT_SECONDS + 20) * 1000 });
    expect(await bob.page.getByTestId('in-call-view').count()).toBe(0);

    // The API stored the message for the support group, with a length.
    const stored = await eventually(
      async () => (await voicemails(bob.page, stack.apiUrl)).items.find((v) => v.callSid === callSid),
      (v): v is Voicemail => v !== undefined,
      60_000,
      `voicemail of ${callSid}`,
    );
    const voicemail = stored as Voicemail;
    expect(voicemail.durationSeconds).toBeGreaterThan(0);
    expect(voicemail.heard).toBe(false);
    expect(voicemail.from).toBe(CALLER);
    expect(voicemail.calledTarget).toBe('group:support');
    const afterMessage = await voicemails(bob.page, stack.apiUrl);
    expect(afterMessage.unheard).toBe(before.unheard + 1);

    // The sandbox dialled bob (the support group) and nobody else for the caller (the agents' legs come from
    // the caller's number), and recorded no answer; bob's history has the call.
    const dialled = (await sandboxCalls(stack.sandbox)).legs.filter((l) => l.direction === 'outbound-api' && l.from === CALLER);
    expect(dialled.map((l) => ({ callSid: l.callSid, to: l.to, status: l.status }))).toEqual([{ callSid: bobLegSid, to: 'client:bob', status: 'no-answer' }]);
    expect(await callRecord(bob.page, stack.apiUrl, callSid)).toMatchObject({ direction: 'inbound', from: CALLER, to: SUPPORT_NUMBER });

    // Bob sees it in his voicemail list with its length and the unheard count.
    await bob.page.getByTestId('nav-history').click();
    const item = bob.page.locator(`[data-testid=voicemail-item][data-voicemail-id="${voicemail.id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-heard')).toBe('false');
    const minutes = Math.floor(voicemail.durationSeconds / 60);
    const seconds = String(voicemail.durationSeconds % 60).padStart(2, '0');
    expect(await item.innerText()).toContain(`${minutes}:${seconds}`);
    const badge = bob.page.getByTestId('unheard-count');
    await bob.page.locator(`[data-testid=unheard-count][data-count="${afterMessage.unheard}"]`).waitFor();

    // It plays: the player's source is WAV audio with sound in it, and the element loads it (metadata
    // only: starting playback would itself mark the message heard).
    const audio = item.getByTestId('voicemail-audio');
    const src = await audio.evaluate((el: HTMLAudioElement) => el.currentSrc || el.src);
    const download = await bob.page.request.get(src);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/^audio\/(x-)?wav/);
    expect((await download.body()).length).toBeGreaterThan(44); // more than a WAV header
    const loaded = await audio.evaluate(
      (el: HTMLAudioElement) =>
        new Promise<{ readyState: number; duration: number }>((resolve, reject) => {
          const done = () => resolve({ readyState: el.readyState, duration: el.duration });
          el.addEventListener('loadedmetadata', done, { once: true });
          el.addEventListener('error', () => reject(new Error(`audio error ${el.error?.code}`)), { once: true });
          el.preload = 'metadata';
          el.load();
        }),
    );
    expect(loaded.readyState).toBeGreaterThanOrEqual(1);
    expect(loaded.duration).toBeGreaterThan(0);

    // Marking it heard: the item, the badge and the API all follow.
    await item.getByTestId('voicemail-mark-heard').click();
    // Attached, not visible: with nothing unheard left the History page may switch to its Calls tab.
    await bob.page.locator(`[data-testid=voicemail-item][data-voicemail-id="${voicemail.id}"][data-heard=true]`).waitFor({ state: 'attached' });
    await bob.page.locator(`[data-testid=unheard-count][data-count="${afterMessage.unheard - 1}"]`).waitFor();
    expect(Number(await badge.getAttribute('data-count'))).toBe(afterMessage.unheard - 1);
    const afterHeard = await voicemails(bob.page, stack.apiUrl);
    expect(afterHeard.unheard).toBe(afterMessage.unheard - 1);
    expect(afterHeard.items.find((v) => v.id === voicemail.id)?.heard).toBe(true);
  });
});
