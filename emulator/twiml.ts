/** Reads the messages out of a messaging TwiML answer, with a real XML parser. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface TwimlMessage {
  body: string;
  media: string[];
  /** The `to`/`from` attributes, when the reply goes elsewhere than back to the sender. */
  to?: string;
  from?: string;
}

interface XmlNode {
  '#text'?: string;
  '@_to'?: string;
  '@_from'?: string;
  Body?: XmlNode[];
  Media?: XmlNode[];
  Message?: XmlNode[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false, // a body of "42" stays a string
  trimValues: false,
  alwaysCreateTextNode: true,
  isArray: (name) => ['Message', 'Body', 'Media'].includes(name),
});

export class TwimlError extends Error {}

/**
 * `<Response><Message>text</Message></Response>` or `<Message><Body>…</Body><Media>…</Media></Message>`;
 * `<Response/>` is no reply. Throws TwimlError where Twilio would log 12100 (document parse failure).
 */
export function parseMessagingTwiml(xml: string): TwimlMessage[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new TwimlError(`TwiML does not parse: ${valid.err.msg}`);
  const document = parser.parse(xml) as { Response?: XmlNode | string };
  if (document.Response === undefined) throw new TwimlError('TwiML has no <Response> root');
  const response = typeof document.Response === 'object' ? document.Response : {};
  return (response.Message ?? []).map((message) => {
    const texts = (nodes: XmlNode[] | undefined) => (nodes ?? []).map((node) => node['#text'] ?? '');
    return {
      body: message.Body ? texts(message.Body).join('') : (message['#text'] ?? ''),
      media: texts(message.Media).map((url) => url.trim()),
      to: message['@_to'],
      from: message['@_from'],
    };
  });
}
