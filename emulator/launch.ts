/** Assembles one emulator: the account, the products, the Twilio API and control routes, the HTTP server. */
import { TwilioApi } from './api';
import type { Clock } from './clock';
import { type AccountInfo, coreControlRoutes } from './control';
import type { EmulatorOptions, RunningEmulator } from './index';
import type { Product } from './product';
import { MessagingProduct } from './products/messaging';
import { SyncProduct } from './products/sync';
import { RouteTable } from './router';
import { serve } from './server';
import { newSid, newToken } from './sid';
import { Store } from './store';

const DEFAULT_PHONE_NUMBER = '+15005550006';

/** `startEmulator` with the clock injectable, so tests can move time forward. */
export async function launchEmulator(options: EmulatorOptions, clock: Clock): Promise<RunningEmulator> {
  const account = options.account ?? { sid: newSid('AC'), authToken: newToken() };
  const store = new Store(account, clock, options.latencyMs);
  const sync = new SyncProduct(store);
  const messaging = new MessagingProduct(store, options.phoneNumber ?? DEFAULT_PHONE_NUMBER, options.smsUrl);
  const products: Product[] = [sync, messaging];

  const reset = () => {
    products.forEach((product) => product.reset());
    store.clear();
  };
  let url = ''; // known once listening
  const describe = (): AccountInfo => ({
    url,
    accountSid: account.sid,
    phoneNumber: messaging.state.defaultNumber.phoneNumber,
    syncServiceSid: sync.defaultServiceSid,
  });
  const control = new RouteTable([
    ...coreControlRoutes(store, describe, reset),
    ...products.flatMap((product) => product.controlRoutes ?? []),
  ]);
  const server = await serve(new TwilioApi(store, products), control, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  url = server.url;
  return {
    url,
    account,
    phoneNumber: messaging.state.defaultNumber.phoneNumber,
    syncServiceSid: sync.defaultServiceSid,
    close: server.close,
  };
}
