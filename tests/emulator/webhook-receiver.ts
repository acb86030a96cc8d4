/** A tiny application for emulator tests: records every webhook it gets and checks its Twilio signature. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface Delivery {
  /** `/sms`, `/taskrouter` or `/conversations`: which of the app's URLs was called. */
  path: string;
  params: Record<string, string>;
  /** An Event Streams delivery's JSON body (its URL's `bodySHA256` query is left out of `path`). */
  json?: unknown;
  headers: IncomingHttpHeaders;
  signatureValid: boolean;
}

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  /** The token signatures are checked with; set once the emulator's account is known. */
  authToken = '';

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const signature = String(req.headers['x-twilio-signature'] ?? '');
        const url = receiver.url + (req.url ?? '/');
        if (req.headers['content-type'] === 'application/json') {
          const path = new URL(url).pathname;
          const signatureValid = twilio.validateRequestWithBody(receiver.authToken, signature, url, body);
          receiver.deliveries.push({ path, params: {}, json: JSON.parse(body), headers: req.headers, signatureValid });
          res.writeHead(200).end();
          return;
        }
        const params = Object.fromEntries(new URLSearchParams(body));
        const path = req.url ?? '/';
        const signatureValid = twilio.validateRequest(receiver.authToken, signature, url, params);
        receiver.deliveries.push({ path, params, headers: req.headers, signatureValid });
        if (path === '/sms') res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<Response/>');
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Requests only arrive once the server listens, by when `receiver` exists.
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  /** What reached one of the app's URLs, oldest first. */
  at(path: string): Delivery[] {
    return this.deliveries.filter((d) => d.path === path);
  }

  /** The `EventType`s that reached a URL, in order. */
  eventTypes(path: string): string[] {
    return this.at(path).map((d) => d.params.EventType);
  }

  clear(): void {
    this.deliveries.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
