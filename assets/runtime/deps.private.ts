/** Wires what a function needs from its context: configuration, the Twilio client, the session store. */
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type { Config } from './config.private';
import type { Logger } from './logger.private';
import type { SessionStore as Store } from '../session/store.private';
import type * as ConfigModule from './config.private';
import type * as LoggerModule from './logger.private';
import type * as StoreModule from '../session/store.private';
import type * as Client from '../twilio/gateway.private';
import type * as LoadModule from './load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { loadConfig } = load<typeof ConfigModule>('/runtime/config.js');
const { createLogger } = load<typeof LoggerModule>('/runtime/logger.js');
const { SessionStore } = load<typeof StoreModule>('/session/store.js');
const { getTwilioClient } = load<typeof Client>('/twilio/gateway.js');

export interface AppDeps {
  config: Config;
  client: Client.TwilioClient;
  store: Store;
  logger: Logger;
  now: () => Date;
}

export function createApp(context: Context<Record<string, string>>, name: string): AppDeps {
  const config = loadConfig(context);
  const client = getTwilioClient(context);
  const store = new SessionStore(client, {
    syncServiceSid: config.SYNC_SERVICE_SID,
    retentionSeconds: config.DATA_RETENTION_DAYS * 86_400,
  });
  return { config, client, store, logger: createLogger(name), now: () => new Date() };
}
