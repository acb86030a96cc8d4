/**
 * One cold start, in a fresh `node` process of its own (bench/cold-start.ts compiles this file to plain
 * JavaScript first, so no TypeScript loader's time or memory is counted), played as twilio-run's per-request
 * process plays it: the runtime's globals (`Twilio`, the SDK it requires from the project; `Runtime`, the built
 * private assets), the built /sms/inbound required, then its handler run on a signed text against the emulator,
 * the time of its Twilio calls measured apart. Prints its figures as the last line of its output, in JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type TwilioSdk from 'twilio';
import type { Context, ServerlessFunctionSignature } from '@twilio-labs/serverless-runtime-types/types';

/** What bench/cold-start.ts hands over, in COLD_START. */
export interface ColdStartInput {
  distDir: string;
  /** The functions' variables, on the emulator. */
  env: Record<string, string>;
  from: string;
  to: string;
  text: string;
}

export interface ColdStartRun {
  /** The runtime's own set-up before it requires a function: mostly the Twilio SDK for the `Twilio` global. */
  runtimeMs: number;
  /** Requiring the function: its private modules and their packages. */
  requireMs: number;
  /** The handler's own time for the text, its Twilio calls apart: the edge, the configuration, the engine's first answer. */
  handlerMs: number;
  /**
   * The CPU time of the require and the handler (the SDK's work on its calls included): on a machine shared with
   * other work, the figure that does not count waiting for a core.
   */
  cpuMs: number;
  /** The time the handler waited for Twilio (the emulator) in its calls, and how many it made. */
  twilioMs: number;
  twilioCalls: number;
  /** The process's resident memory after the answer. */
  rssMb: number;
  /** The packages under node_modules the process has loaded, the runtime's included. */
  packages: string[];
}

const PATH = '/sms/inbound';
const DOMAIN_NAME = 'localhost:3000';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The package a loaded file belongs to (the innermost one when packages nest): `axios`, `@scope/name`. */
function packageOf(file: string): string | undefined {
  return [...file.matchAll(/[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g)].pop()?.[1].replace('\\', '/');
}

/**
 * Wraps the SDK's requests to add up the time the process waits for Twilio: while at least one is in flight,
 * less the CPU it spends meanwhile (the SDK reading answers, a garbage collection of what the handler left),
 * which is the process's own work, not Twilio's.
 */
function timeTwilioCalls(twilio: typeof TwilioSdk): { ms: number; calls: number } {
  const time = { ms: 0, calls: 0 };
  const { prototype } = twilio.RequestClient;
  const request = prototype.request;
  let inFlight = 0;
  let since = 0;
  let cpuSince = process.cpuUsage();
  prototype.request = async function (this: TwilioSdk.RequestClient, ...args: Parameters<typeof request>) {
    if (inFlight++ === 0) {
      since = performance.now();
      cpuSince = process.cpuUsage();
    }
    time.calls++;
    try {
      return await request.apply(this, args);
    } finally {
      if (--inFlight === 0) {
        const cpu = process.cpuUsage(cpuSince);
        time.ms += Math.max(0, performance.now() - since - (cpu.user + cpu.system) / 1000);
      }
    }
  } as typeof request;
  return time;
}

/** Anything the functions' logger warns of or reports as an error fails the run: the text must be answered. */
function failOnLoggedProblems(): string[] {
  const problems: string[] = [];
  console.warn = console.error = (...args: unknown[]) => problems.push(args.map(String).join(' '));
  return problems;
}

async function main({ distDir, env, from, to, text }: ColdStartInput): Promise<ColdStartRun> {
  const problems = failOnLoggedProblems();
  const started = performance.now();
  const assetsDir = join(distDir, 'assets');
  const twilio = require(require.resolve('twilio', { paths: [dirname(distDir)] })) as typeof TwilioSdk;
  const assets = Object.fromEntries(
    listFiles(assetsDir)
      .filter((file) => file.includes('.private.'))
      .map((file) => {
        const key = '/' + relative(assetsDir, file).replace('.private', '');
        return [key, { path: file, open: () => readFileSync(file, 'utf8') }];
      }),
  );
  Object.assign(globalThis, { Twilio: twilio, Runtime: { getAssets: () => assets, getFunctions: () => ({}) } });
  const runtimeReady = performance.now();
  const cpuAtStart = process.cpuUsage();

  const { handler } = require(join(distDir, 'functions', 'sms', 'inbound.protected.js')) as {
    handler: ServerlessFunctionSignature;
  };
  const required = performance.now();

  // The context and event twilio-run gives a function, for a text Twilio signed.
  const context: Context = {
    PATH,
    DOMAIN_NAME,
    SERVICE_SID: undefined,
    ENVIRONMENT_SID: undefined,
    ...env,
    // Typed by the runtime's types with an older SDK's client.
    getTwilioClient: ((options?: TwilioSdk.ClientOpts) =>
      twilio(env.ACCOUNT_SID, env.AUTH_TOKEN, {
        lazyLoading: true,
        ...options,
      })) as unknown as Context['getTwilioClient'],
  };
  const params = {
    MessageSid: `SM${'0'.repeat(28)}${from.slice(-4)}`,
    AccountSid: env.ACCOUNT_SID,
    From: from,
    To: to,
    Body: text,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  const signature = twilio.getExpectedTwilioSignature(env.AUTH_TOKEN, `http://${DOMAIN_NAME}${PATH}`, params);
  const event = { ...params, request: { headers: { 'x-twilio-signature': signature }, cookies: {} } };

  const twilioCalls = timeTwilioCalls(twilio);
  const handlerStarted = performance.now();
  const response = await new Promise<unknown>((resolve, reject) => {
    void handler(context, event, (error, answer) =>
      error ? reject(new Error(`The handler failed: ${JSON.stringify(error)}`)) : resolve(answer),
    );
  });
  const handlerMs = performance.now() - handlerStarted - twilioCalls.ms;
  const cpu = process.cpuUsage(cpuAtStart);
  const twiml = String(response);
  if (problems.length > 0 || !twiml.includes('<Message>')) {
    throw new Error(`The text was not answered: ${twiml}\n${problems.join('\n')}`);
  }

  const packages = Object.keys(require.cache)
    .map(packageOf)
    .filter((name): name is string => name !== undefined);
  return {
    runtimeMs: runtimeReady - started,
    requireMs: required - runtimeReady,
    handlerMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    twilioMs: twilioCalls.ms,
    twilioCalls: twilioCalls.calls,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    packages: [...new Set(packages)].sort(),
  };
}

main(JSON.parse(process.env.COLD_START ?? '{}') as ColdStartInput).then(
  (run) => console.log(JSON.stringify(run)),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
