/**
 * A stand-in for Twilio Functions' gateway in front of twilio-run, which checks nothing locally: requests to a
 * function the deploy marks `protected` need a valid `X-Twilio-Signature` for the deployment's public URL, or are
 * answered 400 before the function runs (Twilio's "Function Request Flow"). Which functions are protected is read
 * the way twilio-run deploy reads it, from the build.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { getListOfFunctionsAndAssets } from '@twilio-labs/serverless-api/dist/utils/fs';
import twilio from 'twilio';

/** Each function's route and visibility, as twilio-run deploy uploads them from dist/. */
export async function deployedFunctions(): Promise<Map<string, string>> {
  const { functions } = await getListOfFunctionsAndAssets(join(__dirname, '..', '..'), {
    functionsFolderNames: ['dist/functions'],
    assetsFolderNames: ['dist/assets'],
  });
  return new Map(functions.map((fn) => [fn.path, fn.access]));
}

const FORWARDED_HEADERS = ['content-type', 'authorization', 'x-twilio-signature'];

export interface Gateway {
  url: string;
  /** Requests passed on to the functions, by path. */
  forwarded: string[];
  close(): Promise<void>;
}

export async function startGateway(options: {
  functionsUrl: string;
  /** The URL Twilio signs: the deployment's, which the functions also see as theirs. */
  publicUrl: string;
  authToken: string;
}): Promise<Gateway> {
  const visibility = await deployedFunctions();
  const forwarded: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const path = new URL(req.url ?? '/', options.publicUrl).pathname;
      const signature = req.headers['x-twilio-signature'];
      const params = Object.fromEntries(new URLSearchParams(body));
      const signed =
        typeof signature === 'string' &&
        twilio.validateRequest(options.authToken, signature, `${options.publicUrl}${req.url}`, params);
      if (visibility.get(path) === 'protected' && !signed) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Invalid Twilio signature');
        return;
      }
      forwarded.push(path);
      const headers = Object.fromEntries(
        FORWARDED_HEADERS.flatMap((name) => {
          const value = req.headers[name];
          return typeof value === 'string' ? [[name, value]] : [];
        }),
      );
      fetch(`${options.functionsUrl}${req.url}`, { method: req.method, headers, body: body || undefined })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
          res.end(await answer.text());
        })
        .catch((error: Error) => res.writeHead(502).end(error.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
