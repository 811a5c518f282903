import { parseTwiml } from './twiml-parser';
import { TwimlError } from './twiml-errors';

const URL_ = 'http://127.0.0.1:3000/twiml/voice?x=1';

function codeOf(xml: string): number | undefined {
  try {
    parseTwiml(xml, URL_);
    return undefined;
  } catch (error) {
    return error instanceof TwimlError ? error.code : -1;
  }
}

describe('parseTwiml', () => {
  it('keeps verb order and applies Twilio defaults', () => {
    const document = parseTwiml(
      `<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <Say voice="alice" loop="2">Hello &amp; welcome</Say>
        <Gather numDigits="1" action="/menu"><Say>Press 1</Say><Pause length="2"/></Gather>
        <Record maxLength="30" />
        <Dial timeout="10" action="dial-done" answerOnBridge="true" callerId="+14155550199">
          <Client statusCallback="/status" statusCallbackEvent="initiated ringing answered completed">
            <Identity>bob</Identity><Parameter name="ticket" value="42"/>
          </Client>
          <Number>+1 (415) 555-0111</Number>
        </Dial>
        <Play loop="0">/sounds/hold.wav</Play>
        <Redirect method="GET">next</Redirect>
        <Reject reason="busy"/>
        <Hangup/>
      </Response>`,
      URL_,
    );
    expect(document.verbs.map((verb) => verb.verb)).toEqual(['Say', 'Gather', 'Record', 'Dial', 'Play', 'Redirect', 'Reject', 'Hangup']);
    expect(document.verbs[0]).toEqual({ verb: 'Say', text: 'Hello & welcome', voice: 'alice', language: undefined, loop: 2 });
    expect(document.verbs[1]).toMatchObject({
      verb: 'Gather', numDigits: 1, finishOnKey: '#', timeoutSeconds: 5, action: 'http://127.0.0.1:3000/menu', method: 'POST',
    });
    expect(document.verbs[2]).toMatchObject({
      verb: 'Record', maxLengthSeconds: 30, playBeep: true, finishOnKey: '1234567890*#', timeoutSeconds: 5, trimSilence: true,
    });
    expect(document.verbs[3]).toMatchObject({
      verb: 'Dial', timeoutSeconds: 10, action: 'http://127.0.0.1:3000/twiml/dial-done', answerOnBridge: true, callerId: '+14155550199',
      targets: [
        {
          kind: 'client', identity: 'bob', parameters: { ticket: '42' },
          statusCallback: { url: 'http://127.0.0.1:3000/status', method: 'POST', events: ['initiated', 'ringing', 'answered', 'completed'] },
        },
        { kind: 'number', number: '+14155550111' },
      ],
    });
    expect(document.verbs[4]).toMatchObject({ verb: 'Play', url: 'http://127.0.0.1:3000/sounds/hold.wav', loop: 1000 });
    expect(document.verbs[5]).toEqual({ verb: 'Redirect', url: 'http://127.0.0.1:3000/twiml/next', method: 'GET' });
    expect(document.verbs[6]).toEqual({ verb: 'Reject', reason: 'busy' });
  });

  it('reads plain text inside <Dial> as a number', () => {
    const document = parseTwiml('<Response><Dial> +14155550122 </Dial></Response>', URL_);
    expect(document.verbs[0]).toMatchObject({ verb: 'Dial', targets: [{ kind: 'number', number: '+14155550122' }], timeoutSeconds: 30 });
  });

  it('tolerates unknown attributes with a 12200 warning, as Twilio does', () => {
    const document = parseTwiml('<Response><Say colour="blue">hi</Say></Response>', URL_);
    expect(document.warnings).toEqual([expect.stringContaining('12200')]);
  });

  it.each([
    ['not XML at all', 'hello'],
    ['an unclosed element', '<Response><Say>hi</Response>'],
    ['an unescaped ampersand', '<Response><Say>a & b</Say></Response>'],
    ['whitespace before the XML declaration', ' <?xml version="1.0"?><Response/>'],
    ['an empty body', ''],
    ['the wrong root', '<Reply><Say>hi</Say></Reply>'],
    ['two roots', '<Response/><Response/>'],
  ])('fails with 12100 on %s', (_name, xml) => {
    expect(codeOf(xml)).toBe(12100);
  });

  it.each([
    ['an unknown verb', '<Response><Speak>hi</Speak></Response>'],
    ['a wrong-case verb', '<Response><say>hi</say></Response>'],
    ['bad nesting', '<Response><Gather><Dial>+14155550111</Dial></Gather></Response>'],
    ['a non-numeric timeout', '<Response><Dial timeout="soon">+14155550111</Dial></Response>'],
    ['a timeout over 600', '<Response><Dial timeout="601">+14155550111</Dial></Response>'],
    ['a bad method', '<Response><Redirect method="PUT">/x</Redirect></Response>'],
    ['a bad boolean', '<Response><Record playBeep="yes"/></Response>'],
    ['a bad finishOnKey', '<Response><Gather finishOnKey="x"/></Response>'],
    ['a bad Reject reason', '<Response><Reject reason="nope"/></Response>'],
    ['an empty Dial', '<Response><Dial></Dial></Response>'],
    ['a Client identity with spaces', '<Response><Dial><Client>bob smith</Client></Dial></Response>'],
    ['an unknown status event', '<Response><Dial><Number statusCallback="/s" statusCallbackEvent="hung">+14155550111</Number></Dial></Response>'],
    ['a bad callerId', '<Response><Dial callerId="nobody">+14155550111</Dial></Response>'],
    ['a Redirect without URL', '<Response><Redirect/></Response>'],
    ['text directly in Response', '<Response>hello</Response>'],
  ])('fails with 12200 on %s', (_name, xml) => {
    expect(codeOf(xml)).toBe(12200);
  });

  it.each(['<Response><Dial>call-me</Dial></Response>', '<Response><Dial><Number>12</Number></Dial></Response>'])(
    'fails with 13223 on a bad number: %s',
    (xml) => {
      expect(codeOf(xml)).toBe(13223);
    },
  );
});
