/**
 * The local sandbox: one page with the contact's phone and a Flex-like rep desk, served next to the emulator.
 * It drives only the emulator's control API (proxied under `/api/emulator/`), downloads media from the
 * emulated Twilio hosts with the account's credentials and reads the insights the functions recorded in Sync
 * (`/api/insights`, see ./insights), so what it shows is what the functions really did.
 * The desk's suggestion panel calls /flex/assist through `/api/assist`, as the page's own origin: the function
 * answers CORS for the Flex UI's origin only, and the sandbox is not Flex, so rather than a setting that widens
 * that in production code, the sandbox forwards the call server to server (no Origin), with the Flex token the
 * emulator issued for Alice Rep in it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { insightsRoutes } from './insights';

export interface SandboxOptions {
  /** The emulator's base URL. */
  emulatorUrl: string;
  accountSid: string;
  authToken: string;
  /** The functions' base URL (twilio-run), for /flex/assist. */
  functionsUrl: string;
  /** 0 for a free port. */
  port: number;
}

export interface RunningSandbox {
  url: string;
  close(): Promise<void>;
}

/** What `GET /api/sandbox` answers: also how a second `npm start` recognises a running sandbox. */
export const SANDBOX_MARK = 'flex-sms-handoff sandbox';

const PAGE = join(__dirname, 'page');

/** The page's script, with the plugin's Handoff card, bundled against the root's one React 17. */
export async function bundlePage(): Promise<string> {
  const root = (name: string) => dirname(require.resolve(`${name}/package.json`));
  const result = await build({
    entryPoints: [join(PAGE, 'app.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    jsx: 'transform',
    minify: true,
    // flex-plugin/node_modules may hold another React: two copies break hooks.
    alias: { react: root('react'), 'react-dom': root('react-dom') },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** `https://<sub>.twilio.com/<path>` on the emulator, or undefined for any other address. */
function emulatedTwilioUrl(emulatorUrl: string, address: string): string | undefined {
  const match = /^https:\/\/([a-z0-9.-]+)\.twilio\.com(\/[^?#]*)$/.exec(address);
  return match ? `${emulatorUrl}/${match[1]}${match[2]}` : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const script = await bundlePage();
  const html = readFileSync(join(PAGE, 'index.html'));
  const css = readFileSync(join(PAGE, 'sandbox.css'));
  const basic = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  const insights = insightsRoutes(options, send);
  /** Answers with what a proxied call answered. */
  const relay = async (res: ServerResponse, answer: Response): Promise<void> => {
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', html);
    if (req.method === 'GET' && url.pathname === '/app.js') return send(res, 200, 'text/javascript', script);
    if (req.method === 'GET' && url.pathname === '/sandbox.css') return send(res, 200, 'text/css', css);
    if (req.method === 'GET' && url.pathname === '/api/sandbox') {
      return send(res, 200, 'application/json', JSON.stringify({ name: SANDBOX_MARK }));
    }
    if (await insights(req.method, url, res)) return;
    if (url.pathname.startsWith('/api/emulator/')) {
      const target = `${options.emulatorUrl}/__emulator/${url.pathname.slice('/api/emulator/'.length)}${url.search}`;
      const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readBody(req);
      const answer = await fetch(target, {
        method: req.method,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        body,
      });
      return relay(res, answer);
    }
    if (req.method === 'POST' && url.pathname === '/api/assist') {
      const answer = await fetch(`${options.functionsUrl}/flex/assist`, {
        method: 'POST',
        headers: { 'Content-Type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: await readBody(req),
      });
      return relay(res, answer);
    }
    if (req.method === 'GET' && url.pathname === '/api/media') {
      const target = emulatedTwilioUrl(options.emulatorUrl, url.searchParams.get('url') ?? '');
      if (!target) return send(res, 400, 'text/plain', 'Only media on Twilio hosts is shown');
      const answer = await fetch(target, { headers: { Authorization: basic } });
      res.writeHead(answer.status, {
        'Content-Type': answer.headers.get('content-type') ?? 'application/octet-stream',
        'Cache-Control': 'max-age=3600',
      });
      res.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    send(res, 404, 'text/plain', 'Not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 502, 'text/plain', error.message);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
