/**
 * What every handler and domain module works with, wired from a function's context: configuration, the Twilio
 * client, the session store, the logger and the clock (a test moves it).
 */
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type { Config } from './config.private';
import type { Logger } from './logger.private';
import type { SessionStore as Store } from '../session/store.private';
import type * as ConfigModule from './config.private';
import type * as LoggerModule from './logger.private';
import type * as StoreModule from '../session/store.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as LoadModule from './load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { loadConfig, syncStorage } = load<typeof ConfigModule>('/runtime/config.js');
const { createLogger } = load<typeof LoggerModule>('/runtime/logger.js');
const { SessionStore } = load<typeof StoreModule>('/session/store.js');
const { getTwilioClient } = load<typeof Gateway>('/twilio/gateway.js');

export interface Deps {
  config: Config;
  client: Gateway.TwilioClient;
  store: Store;
  logger: Logger;
  now: () => Date;
}

export function createDeps(context: Context<Record<string, string>>, name: string): Deps {
  const config = loadConfig(context);
  const client = getTwilioClient(context);
  const logger = createLogger(name);
  const store = new SessionStore(client, { ...syncStorage(config), logger });
  return { config, client, store, logger, now: () => new Date() };
}

/**
 * A handler's work with its deps, answered only once the insights copies its session writes started alongside
 * have settled: a Function may be frozen as soon as it answers.
 */
export async function withDeps<T>(
  context: Context<Record<string, string>>,
  name: string,
  work: (deps: Deps) => Promise<T>,
): Promise<T> {
  const deps = createDeps(context, name);
  try {
    return await work(deps);
  } finally {
    await deps.store.settle();
  }
}
