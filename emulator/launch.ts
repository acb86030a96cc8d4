/** Assembles one emulator: the account, the products, the Twilio API and control routes, the HTTP server. */
import { TwilioApi } from './api';
import type { Clock } from './clock';
import { type AccountInfo, coreControlRoutes, type SeededResources } from './control';
import { Outbox } from './outbox';
import type { Product } from './product';
import { ConversationsProduct } from './products/conversations';
import { EventsProduct } from './products/events';
import { FlexProduct } from './products/flex';
import { IamProduct } from './products/iam';
import { McsProduct, MediaLibrary } from './products/mcs';
import { MessagingProduct } from './products/messaging';
import { MessagingServicesProduct } from './products/messaging-services';
import { FunctionsServices, ServerlessProduct, ServerlessUploadProduct } from './products/serverless';
import { SyncProduct } from './products/sync';
import { TaskRouterProduct } from './products/taskrouter';
import { RouteTable } from './router';
import { serve } from './server';
import { shapeControlRoutes } from './shapes';
import { newSid, newToken } from './sid';
import { type EmulatorAccount, Store } from './store';

const DEFAULT_PHONE_NUMBER = '+15005550006';

export interface EmulatorOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a generated AC… SID and a 32-hex token. */
  account?: EmulatorAccount;
  /** Added to every Twilio API call (not to control routes). */
  latencyMs?: number;
  /** E.164 of the provisioned Twilio number, default '+15005550006'. */
  phoneNumber?: string;
  /** The number's incoming-message webhook (also settable through IncomingPhoneNumbers or the control API). */
  smsUrl?: string;
  /** The seeded workspace's EventCallbackUrl (also settable through the Workspace API). */
  taskrouterEventsUrl?: string;
  /**
   * The seeded Conversations service's post-event webhook URL, with the filters onMessageAdded,
   * onConversationStateUpdated and onParticipantAdded, method POST.
   */
  conversationsWebhookUrl?: string;
}

export interface RunningEmulator extends SeededResources {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  account: EmulatorAccount;
  close(): Promise<void>;
}

/** `startEmulator` with the clock injectable, so tests can move time forward. */
export async function launchEmulator(options: EmulatorOptions, clock: Clock): Promise<RunningEmulator> {
  const account = options.account ?? { sid: newSid('AC'), authToken: newToken() };
  const store = new Store(account, clock, options.latencyMs);
  const outbox = new Outbox(store);
  const sync = new SyncProduct(store);
  const messaging = new MessagingProduct(store, outbox, options.phoneNumber ?? DEFAULT_PHONE_NUMBER, options.smsUrl);
  // Its senders' texts follow the service's inbound settings before the number's own SmsUrl.
  const messagingServices = new MessagingServicesProduct(store, messaging.messaging);
  const media = new MediaLibrary(() => clock.now());
  const conversations = new ConversationsProduct(
    store,
    outbox,
    messaging.messaging,
    media,
    options.conversationsWebhookUrl,
  );
  const mcs = new McsProduct(media, (sid) => conversations.conversations.services.has(sid));
  const taskrouter = new TaskRouterProduct(store, outbox, options.taskrouterEventsUrl);
  const events = new EventsProduct(store);
  taskrouter.taskRouter.events.publishTo(events.streams);
  const flex = new FlexProduct(store, outbox, conversations.conversations, taskrouter.taskRouter);
  // A text from a contact that a conversation binds is captured there before the number's webhook fires.
  messaging.onInbound((message) => conversations.conversations.captureInbound(message));
  // Then a Flex messaging address with autocreation makes a conversation for a text none captured.
  messaging.onInbound((message) => conversations.autocreate(message));
  // Flex's users' tokens, which a plugin's Functions check (twilio-flex-token-validator's request).
  const iam = new IamProduct(store, taskrouter.taskRouter);
  const functionsServices = new FunctionsServices();
  const serverless = new ServerlessProduct(store, functionsServices);
  const serverlessUpload = new ServerlessUploadProduct(store, functionsServices);
  const products: Product[] = [
    sync,
    messaging,
    messagingServices,
    conversations,
    mcs,
    taskrouter,
    events,
    flex,
    iam,
    serverless,
    serverlessUpload,
  ];

  const reset = () => {
    products.forEach((product) => product.reset());
    outbox.reset();
    store.clear();
  };
  const { sids } = taskrouter.taskRouter;
  const seeded: SeededResources = {
    phoneNumber: messaging.messaging.defaultNumber.phoneNumber,
    syncServiceSid: sync.sync.defaultServiceSid,
    conversationsServiceSid: conversations.conversations.defaultServiceSid,
    workspaceSid: sids.workspace,
    workflowSid: sids.workflow,
    taskQueueSid: sids.queue,
    workerSid: sids.worker,
  };
  let url = ''; // known once listening
  const describe = (): AccountInfo => ({ url, accountSid: account.sid, ...seeded });
  const api = new TwilioApi(store, products);
  const control = new RouteTable([
    ...coreControlRoutes(store, outbox, describe, reset),
    ...products.flatMap((product) => product.controlRoutes ?? []),
    ...shapeControlRoutes(api, account, messaging.messaging, seeded, reset),
  ]);
  const server = await serve(api, control, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  url = server.url;
  return { url, account, ...seeded, close: server.close };
}
