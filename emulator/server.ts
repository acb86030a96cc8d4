/**
 * The HTTP plumbing: `/__emulator/...` goes to the control routes, `/<sub>/<path>` to the Twilio API
 * (the seam maps `https://<sub>.twilio.com<path>` there).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TwilioApi } from './api';
import { ControlError } from './control';
import type { ApiResult, ControlHandler, ControlResult } from './product';
import type { RouteTable } from './router';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__emulator/';

export async function serve(
  api: TwilioApi,
  control: RouteTable<ControlHandler>,
  { host, port }: { host: string; port: number },
): Promise<Listening> {
  const server = createServer((req, res) => {
    handle(api, control, req, res).catch((error: unknown) => {
      console.error('emulator: request failed', error);
      if (!res.headersSent) writeJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would hold close() open
      }),
  };
}

async function handle(
  api: TwilioApi,
  control: RouteTable<ControlHandler>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const body = await readBody(req);
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith(CONTROL_PREFIX)) {
    const result = await handleControl(control, method, url, body);
    writeJson(res, result.status, result.json);
    return;
  }
  const [, sub = '', ...rest] = url.pathname.split('/');
  const result = await api.handle({
    method,
    sub,
    path: `/${rest.join('/')}`,
    query: url.searchParams,
    headers: req.headers,
    body,
  });
  writeApiResult(res, result);
}

async function handleControl(
  control: RouteTable<ControlHandler>,
  method: string,
  url: URL,
  body: Buffer,
): Promise<ControlResult> {
  const match = control.match(method, url.pathname);
  if (match.kind !== 'found') {
    return {
      status: match.kind === 'not-found' ? 404 : 405,
      json: { error: `No control route ${method} ${url.pathname}` },
    };
  }
  let json: unknown;
  try {
    json = body.length ? JSON.parse(body.toString()) : undefined;
  } catch (error) {
    return { status: 400, json: { error: `Body is not JSON: ${(error as Error).message}` } };
  }
  try {
    return await match.handler({ params: match.params, query: url.searchParams, body: json });
  } catch (error) {
    if (error instanceof ControlError) return { status: error.status, json: { error: error.message } };
    throw error;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeApiResult(res: ServerResponse, result: ApiResult): void {
  if (result.body) {
    res.writeHead(result.status, result.headers).end(result.body);
  } else {
    writeJson(res, result.status, result.json, result.headers);
  }
}

function writeJson(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  if (json === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(json));
}
