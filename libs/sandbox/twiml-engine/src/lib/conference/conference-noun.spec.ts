import { parseTwiml } from '../twiml/twiml-parser';
import { TwimlError } from '../twiml/twiml-errors';
import { DialVerb } from '../twiml/twiml-verbs';

const URL = 'http://127.0.0.1:3000/voice';
const dial = (body: string) => parseTwiml(`<Response>${body}</Response>`, URL).verbs[0] as DialVerb;
const errorCode = (body: string): number | undefined => {
  try {
    parseTwiml(`<Response>${body}</Response>`, URL);
    return undefined;
  } catch (error) {
    return error instanceof TwimlError ? error.code : -1;
  }
};
const COACHED = 'CA0123456789abcdef0123456789abcdef';

describe('<Dial><Conference> parsing', () => {
  it("applies Twilio's defaults", () => {
    const verb = dial('<Dial><Conference>support-1</Conference></Dial>');
    expect(verb.targets).toEqual([]);
    expect(verb.hangupOnStar).toBe(false);
    expect(verb.conference).toEqual({
      name: 'support-1',
      startConferenceOnEnter: true,
      endConferenceOnExit: false,
      beep: true,
      muted: false,
      waitUrl: undefined,
      waitMethod: 'POST',
      statusCallback: undefined,
      participantLabel: undefined,
      coach: undefined,
      maxParticipants: 250,
    });
  });

  it('reads every attribute, making URLs absolute', () => {
    const verb = dial(
      `<Dial action="/after" method="GET" hangupOnStar="true" timeLimit="60"><Conference startConferenceOnEnter="false" endConferenceOnExit="true"
        beep="onExit" muted="true" waitUrl="/wait" waitMethod="GET" statusCallback="/conf" statusCallbackMethod="GET"
        statusCallbackEvent="start end join leave mute hold modify speaker announcement" participantLabel="customer"
        coach="${COACHED}" maxParticipants="10">room</Conference></Dial>`,
    );
    expect(verb).toMatchObject({ action: 'http://127.0.0.1:3000/after', method: 'GET', hangupOnStar: true, timeLimitSeconds: 60 });
    expect(verb.conference).toEqual({
      name: 'room',
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'onExit',
      muted: true,
      waitUrl: 'http://127.0.0.1:3000/wait',
      waitMethod: 'GET',
      statusCallback: {
        url: 'http://127.0.0.1:3000/conf',
        method: 'GET',
        events: ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'],
      },
      participantLabel: 'customer',
      coach: COACHED,
      maxParticipants: 10,
    });
  });

  it('waitUrl="" asks for silence; statusCallback without events sends start and end', () => {
    const conference = dial('<Dial><Conference waitUrl="" beep="false" statusCallback="/c">r</Conference></Dial>').conference;
    expect(conference?.waitUrl).toBe('');
    expect(conference?.beep).toBe(false);
    expect(conference?.statusCallback?.events).toEqual(['start', 'end']);
  });

  it.each([
    ['beep="loud"', 12200],
    ['startConferenceOnEnter="yes"', 12200],
    ['endConferenceOnExit="1"', 12200],
    ['muted="maybe"', 12200],
    ['waitMethod="PUT"', 12200],
    ['statusCallback="/c" statusCallbackEvent="start ringing"', 12200],
    ['statusCallback="/c" statusCallbackMethod="DELETE"', 12200],
    ['maxParticipants="1"', 12200],
    ['maxParticipants="251"', 12200],
    ['coach="bob"', 12200],
    ['participantLabel=""', 12200],
  ])('rejects %s with %d', (attribute, code) => {
    expect(errorCode(`<Dial><Conference ${attribute}>r</Conference></Dial>`)).toBe(code);
  });

  it('rejects an empty name, a second noun, and a <Conference> outside <Dial>', () => {
    expect(errorCode('<Dial><Conference></Conference></Dial>')).toBe(12200);
    expect(errorCode('<Dial><Conference>a</Conference><Client>bob</Client></Dial>')).toBe(12200);
    expect(errorCode('<Dial>+14155550100<Conference>a</Conference></Dial>')).toBe(12200);
    expect(errorCode('<Conference>a</Conference>')).toBe(12200);
    expect(errorCode('<Dial hangupOnStar="sure"><Conference>a</Conference></Dial>')).toBe(12200);
  });

  it('warns about unknown and unsupported attributes without failing', () => {
    const document = parseTwiml('<Response><Dial><Conference record="record-from-start" sparkle="1">a</Conference></Dial></Response>', URL);
    expect(document.warnings.join('\n')).toMatch(/unknown attribute "sparkle"/);
    expect(document.warnings.join('\n')).toMatch(/record> is not supported/);
  });
});
