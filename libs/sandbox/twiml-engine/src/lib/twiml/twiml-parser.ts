import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DialTarget, StatusCallbackRequest } from '@switchboard/sandbox-model';
import { parseConference } from './conference-noun';
import { TwilioErrorCode, TwimlError } from './twiml-errors';
import {
  DialVerb,
  GatherChild,
  GatherVerb,
  HttpMethod,
  PauseVerb,
  PlayVerb,
  RecordVerb,
  SayVerb,
  TwimlDocument,
  TwimlVerb,
} from './twiml-verbs';

/** `loop="0"` means "until the call ends" in Twilio; the sandbox caps it. */
export const MAX_LOOP = 1000;

type XmlNode = Record<string, unknown>;
export interface Element {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Element[];
  readonly text: string;
}

const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
});

/**
 * Parses and validates a TwiML document. Throws TwimlError 12100 (not XML / no single `<Response>`)
 * or 12200 (unknown verb, bad nesting, invalid attribute value; 13223 for a bad Dial number).
 * Unknown attributes are tolerated, as Twilio does, and reported in `warnings`.
 */
export function parseTwiml(xml: string, documentUrl: string): TwimlDocument {
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new TwimlError(TwilioErrorCode.DocumentParseFailure, `${msg} (line ${line}, column ${col})`);
  }
  const roots = toElements(xmlParser.parse(xml) as XmlNode[]);
  if (roots.length !== 1 || roots[0].name !== 'Response') {
    const found = roots.map((root) => `<${root.name}>`).join(', ') || 'nothing';
    throw new TwimlError(TwilioErrorCode.DocumentParseFailure, `the root element must be one <Response>, found ${found}`);
  }
  const context = new ParseContext(documentUrl);
  if (roots[0].text) context.schema('<Response> cannot contain text outside a verb');
  const verbs = roots[0].children.map((element) => parseVerb(element, context));
  return { url: documentUrl, verbs, warnings: context.warnings };
}

function toElements(nodes: readonly XmlNode[]): Element[] {
  const elements: Element[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name === '#text') continue;
    const raw = (node[name] as XmlNode[]) ?? [];
    const attributes = (node[':@'] as Record<string, string> | undefined) ?? {};
    const text = raw
      .filter((child) => '#text' in child)
      .map((child) => String(child['#text']))
      .join(' ')
      .trim();
    elements.push({ name, attributes, children: toElements(raw), text });
  }
  return elements;
}

export class ParseContext {
  readonly warnings: string[] = [];
  constructor(readonly documentUrl: string) {}

  schema(message: string): never {
    throw new TwimlError(TwilioErrorCode.SchemaValidation, message);
  }

  /** Unknown attributes are a Twilio 12200 *warning*: logged, ignored. */
  checkAttributes(element: Element, known: readonly string[]): void {
    for (const name of Object.keys(element.attributes)) {
      if (!known.includes(name)) this.warnings.push(`12200: <${element.name}> has unknown attribute "${name}" (ignored)`);
    }
  }

  url(element: Element, attribute: string, value: string | undefined): string | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    try {
      return new URL(value.trim(), this.documentUrl).href;
    } catch {
      return this.schema(`<${element.name} ${attribute}="${value}"> is not a valid URL`);
    }
  }

  method(element: Element, attribute: string): HttpMethod {
    const value = element.attributes[attribute];
    if (value === undefined) return 'POST';
    const upper = value.trim().toUpperCase();
    if (upper !== 'GET' && upper !== 'POST') this.schema(`<${element.name} ${attribute}="${value}"> must be GET or POST`);
    return upper;
  }

  integer(element: Element, attribute: string, fallback: number, min: number, max: number): number {
    const value = element.attributes[attribute];
    if (value === undefined) return fallback;
    if (!/^\s*\d+\s*$/.test(value) || Number(value) < min || Number(value) > max) {
      return this.schema(`<${element.name} ${attribute}="${value}"> must be a whole number from ${min} to ${max}`);
    }
    return Number(value);
  }

  boolean(element: Element, attribute: string, fallback: boolean): boolean {
    const value = element.attributes[attribute];
    if (value === undefined) return fallback;
    const lower = value.trim().toLowerCase();
    if (lower !== 'true' && lower !== 'false') this.schema(`<${element.name} ${attribute}="${value}"> must be true or false`);
    return lower === 'true';
  }

  keys(element: Element, attribute: string, fallback: string): string {
    const value = element.attributes[attribute];
    if (value === undefined) return fallback;
    if (!/^[0-9*#]*$/.test(value)) this.schema(`<${element.name} ${attribute}="${value}"> may only hold 0-9, * and #`);
    return value;
  }

  noChildren(element: Element): void {
    if (element.children.length) this.schema(`<${element.name}> cannot contain <${element.children[0].name}>`);
  }
}

function parseVerb(element: Element, context: ParseContext): TwimlVerb {
  switch (element.name) {
    case 'Say':
      return parseSay(element, context);
    case 'Play':
      return parsePlay(element, context);
    case 'Pause':
      return parsePause(element, context);
    case 'Dial':
      return parseDial(element, context);
    case 'Record':
      return parseRecord(element, context);
    case 'Gather':
      return parseGather(element, context);
    case 'Hangup':
      context.checkAttributes(element, []);
      context.noChildren(element);
      return { verb: 'Hangup' };
    case 'Reject': {
      context.checkAttributes(element, ['reason']);
      context.noChildren(element);
      const reason = element.attributes['reason'] ?? 'rejected';
      if (reason !== 'rejected' && reason !== 'busy') context.schema(`<Reject reason="${reason}"> must be rejected or busy`);
      return { verb: 'Reject', reason };
    }
    case 'Redirect': {
      context.checkAttributes(element, ['method']);
      context.noChildren(element);
      const url = context.url(element, 'body', element.text);
      if (!url) return context.schema('<Redirect> needs a URL as its text');
      return { verb: 'Redirect', url, method: context.method(element, 'method') };
    }
    default:
      return context.schema(`<${element.name}> is not a TwiML verb (verbs are case-sensitive)`);
  }
}

function parseSay(element: Element, context: ParseContext): SayVerb {
  context.checkAttributes(element, ['voice', 'loop', 'language']);
  // SSML children (<break>, <prosody>, ...) are read for their text only.
  const text = [element.text, ...element.children.map(allText)].filter(Boolean).join(' ').trim();
  const loop = context.integer(element, 'loop', 1, 0, MAX_LOOP);
  return {
    verb: 'Say',
    text,
    voice: element.attributes['voice'],
    language: element.attributes['language'],
    loop: loop === 0 ? MAX_LOOP : loop,
  };
}

function allText(element: Element): string {
  return [element.text, ...element.children.map(allText)].filter(Boolean).join(' ');
}

function parsePlay(element: Element, context: ParseContext): PlayVerb {
  context.checkAttributes(element, ['loop', 'digits']);
  context.noChildren(element);
  const loop = context.integer(element, 'loop', 1, 0, MAX_LOOP);
  const url = context.url(element, 'body', element.text);
  if (!url && element.attributes['digits'] === undefined) context.schema('<Play> needs a URL or a digits attribute');
  if (element.attributes['digits'] !== undefined && !/^[0-9*#wW]*$/.test(element.attributes['digits'])) {
    context.schema(`<Play digits="${element.attributes['digits']}"> may only hold 0-9, *, # and w`);
  }
  return { verb: 'Play', url, loop: loop === 0 ? MAX_LOOP : loop };
}

function parsePause(element: Element, context: ParseContext): PauseVerb {
  context.checkAttributes(element, ['length']);
  context.noChildren(element);
  return { verb: 'Pause', lengthSeconds: context.integer(element, 'length', 1, 0, 600) };
}

const DIAL_ATTRIBUTES = [
  'timeout', 'action', 'method', 'callerId', 'answerOnBridge', 'timeLimit', 'record', 'trim',
  'recordingStatusCallback', 'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent',
  'recordingTrack', 'hangupOnStar', 'ringTone', 'sequential', 'referUrl', 'referMethod', 'events',
];
const NOUN_CALLBACK_ATTRIBUTES = ['statusCallback', 'statusCallbackEvent', 'statusCallbackMethod', 'url', 'method'];

function parseDial(element: Element, context: ParseContext): DialVerb {
  context.checkAttributes(element, DIAL_ATTRIBUTES);
  const conferences = element.children.filter((noun) => noun.name === 'Conference');
  if (conferences.length) return parseDialConference(element, conferences, context);
  for (const ignored of ['record', 'hangupOnStar', 'ringTone', 'sequential']) {
    if (element.attributes[ignored] !== undefined) context.warnings.push(`<Dial ${ignored}> is not supported by the sandbox (ignored)`);
  }
  const targets: DialTarget[] = [];
  if (element.text) targets.push({ kind: 'number', number: phoneNumber(element.text) });
  for (const noun of element.children) {
    if (noun.name === 'Client') targets.push(parseClient(noun, context));
    else if (noun.name === 'Number') {
      context.checkAttributes(noun, [...NOUN_CALLBACK_ATTRIBUTES, 'sendDigits', 'byoc', 'machineDetection']);
      context.noChildren(noun);
      targets.push({ kind: 'number', number: phoneNumber(noun.text), statusCallback: statusCallback(noun, context) });
    } else context.schema(`<Dial> cannot contain <${noun.name}> (the sandbox supports <Client> and <Number>)`);
  }
  if (!targets.length) context.schema('<Dial> needs a number, a <Client> or a <Number>');
  const callerId = element.attributes['callerId']?.trim();
  if (callerId !== undefined && !/^(\+?\d{3,15}|client:[^\s]{1,256})$/.test(callerId)) {
    context.schema(`<Dial callerId="${callerId}"> must be a phone number or client:identity`);
  }
  const timeLimit = element.attributes['timeLimit'];
  return {
    verb: 'Dial',
    targets,
    hangupOnStar: false,
    timeoutSeconds: context.integer(element, 'timeout', 30, 1, 600),
    action: context.url(element, 'action', element.attributes['action']),
    method: context.method(element, 'method'),
    callerId,
    answerOnBridge: context.boolean(element, 'answerOnBridge', false),
    timeLimitSeconds: timeLimit === undefined ? undefined : context.integer(element, 'timeLimit', 14400, 1, 86400),
  };
}

/** `<Dial><Conference>`: one `<Conference>` and no other noun or number, as Twilio requires. */
function parseDialConference(element: Element, conferences: readonly Element[], context: ParseContext): DialVerb {
  if (conferences.length > 1 || element.children.length > 1 || element.text) {
    context.schema('<Dial> with a <Conference> cannot contain another noun or a number');
  }
  for (const ignored of ['record', 'ringTone', 'sequential', 'answerOnBridge']) {
    if (element.attributes[ignored] !== undefined) context.warnings.push(`<Dial ${ignored}> does not apply to <Conference> in the sandbox (ignored)`);
  }
  const timeLimit = element.attributes['timeLimit'];
  return {
    verb: 'Dial',
    targets: [],
    conference: parseConference(conferences[0], context),
    hangupOnStar: context.boolean(element, 'hangupOnStar', false),
    timeoutSeconds: context.integer(element, 'timeout', 30, 1, 600),
    action: context.url(element, 'action', element.attributes['action']),
    method: context.method(element, 'method'),
    answerOnBridge: false,
    timeLimitSeconds: timeLimit === undefined ? undefined : context.integer(element, 'timeLimit', 14400, 1, 86400),
  };
}

function parseClient(noun: Element, context: ParseContext): DialTarget {
  context.checkAttributes(noun, NOUN_CALLBACK_ATTRIBUTES);
  let identity = noun.text;
  const parameters: Record<string, string> = {};
  for (const child of noun.children) {
    if (child.name === 'Identity') {
      context.noChildren(child);
      identity = child.text;
    } else if (child.name === 'Parameter') {
      context.checkAttributes(child, ['name', 'value']);
      const name = child.attributes['name'];
      if (!name) context.schema('<Parameter> needs a name');
      parameters[name] = child.attributes['value'] ?? '';
    } else context.schema(`<Client> cannot contain <${child.name}>`);
  }
  identity = identity.trim();
  if (!identity || identity.length > 256 || /\s/.test(identity)) {
    context.schema(`<Client> identity "${identity}" must be 1-256 characters without spaces`);
  }
  return { kind: 'client', identity, parameters, statusCallback: statusCallback(noun, context) };
}

/** Digits with an optional leading +; spaces, dashes, dots and parentheses are dropped. */
function phoneNumber(text: string): string {
  const cleaned = text.trim().replace(/[\s().-]/g, '');
  if (!/^\+?\d{3,15}$/.test(cleaned)) {
    throw new TwimlError(TwilioErrorCode.DialInvalidPhoneNumber, `"${text.trim()}" is not a phone number`);
  }
  return cleaned;
}

const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;

function statusCallback(noun: Element, context: ParseContext): StatusCallbackRequest | undefined {
  const url = context.url(noun, 'statusCallback', noun.attributes['statusCallback']);
  if (!url) return undefined;
  const requested = (noun.attributes['statusCallbackEvent'] ?? 'completed').split(/[\s,]+/).filter(Boolean);
  const events = requested.map((event) => {
    const known = STATUS_EVENTS.find((candidate) => candidate === event);
    return known ?? context.schema(`<${noun.name} statusCallbackEvent> has unknown event "${event}"`);
  });
  return { url, method: context.method(noun, 'statusCallbackMethod'), events: events.length ? events : ['completed'] };
}

function parseRecord(element: Element, context: ParseContext): RecordVerb {
  context.checkAttributes(element, [
    'maxLength', 'playBeep', 'finishOnKey', 'timeout', 'action', 'method', 'recordingStatusCallback',
    'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent', 'trim', 'transcribe', 'transcribeCallback',
    'recordingChannels', 'storageUrl', 'storageUrlMethod',
  ]);
  context.noChildren(element);
  const trim = element.attributes['trim'] ?? 'trim-silence';
  if (trim !== 'trim-silence' && trim !== 'do-not-trim') context.schema(`<Record trim="${trim}"> must be trim-silence or do-not-trim`);
  return {
    verb: 'Record',
    maxLengthSeconds: context.integer(element, 'maxLength', 3600, 1, 14400),
    playBeep: context.boolean(element, 'playBeep', true),
    finishOnKey: context.keys(element, 'finishOnKey', '1234567890*#'),
    timeoutSeconds: context.integer(element, 'timeout', 5, 0, 3600),
    action: context.url(element, 'action', element.attributes['action']),
    method: context.method(element, 'method'),
    recordingStatusCallback: context.url(element, 'recordingStatusCallback', element.attributes['recordingStatusCallback']),
    recordingStatusCallbackMethod: context.method(element, 'recordingStatusCallbackMethod'),
    trimSilence: trim === 'trim-silence',
  };
}

function parseGather(element: Element, context: ParseContext): GatherVerb {
  context.checkAttributes(element, [
    'input', 'numDigits', 'finishOnKey', 'timeout', 'action', 'method', 'actionOnEmptyResult', 'language', 'hints',
    'speechTimeout', 'speechModel', 'profanityFilter', 'partialResultCallback', 'partialResultCallbackMethod',
    'enhanced', 'bargeIn', 'debug', 'maxSpeechTime',
  ]);
  const input = (element.attributes['input'] ?? 'dtmf').split(/\s+/).filter(Boolean);
  if (!input.every((kind) => kind === 'dtmf' || kind === 'speech')) {
    context.schema(`<Gather input="${element.attributes['input']}"> must be dtmf and/or speech`);
  }
  if (input.includes('speech')) context.warnings.push('<Gather input="speech"> is not supported by the sandbox: only DTMF is gathered');
  if (element.text) context.schema('<Gather> cannot contain bare text (wrap it in <Say>)');
  const children: GatherChild[] = element.children.map((child) => {
    if (child.name === 'Say') return parseSay(child, context);
    if (child.name === 'Play') return parsePlay(child, context);
    if (child.name === 'Pause') return parsePause(child, context);
    return context.schema(`<Gather> cannot contain <${child.name}> (only <Say>, <Play> and <Pause>)`);
  });
  const timeout = element.attributes['timeout'];
  return {
    verb: 'Gather',
    numDigits: element.attributes['numDigits'] === undefined ? undefined : context.integer(element, 'numDigits', 1, 1, 128),
    finishOnKey: context.keys(element, 'finishOnKey', '#'),
    // Twilio accepts timeout="auto" for speech; for DTMF it means the default.
    timeoutSeconds: timeout === 'auto' ? 5 : context.integer(element, 'timeout', 5, 0, 600),
    action: context.url(element, 'action', element.attributes['action']) ?? context.documentUrl,
    method: context.method(element, 'method'),
    actionOnEmptyResult: context.boolean(element, 'actionOnEmptyResult', false),
    children,
  };
}
