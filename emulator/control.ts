/**
 * The control API under `/__emulator/`: what tests and scripts use to observe the emulator and to inject
 * trouble. Not Twilio's: no auth, no spec validation, JSON in and out.
 */
import { z } from 'zod';
import type { Outbox, OutgoingWebhook } from './outbox';
import type { ControlHandler, ControlResult } from './product';
import type { Route } from './router';
import type { Store } from './store';

/** A control call that cannot be done; answered as `{error}` with the status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new ControlError(400, z.prettifyError(result.error));
  return result.data;
}

/** What the emulator provisions at start, as a new Flex account has it. */
export interface SeededResources {
  /** The provisioned Twilio number (E.164). */
  phoneNumber: string;
  /** The Sync service created at start (IS…). */
  syncServiceSid: string;
  /** The Conversations service Flex provisions, "Flex Chat Service" (IS…), also the account's default. */
  conversationsServiceSid: string;
  /** "Flex Task Assignment" (WS…), with the task channels default, voice, chat and sms. */
  workspaceSid: string;
  /** "Assign to Anyone" (WW…): `handedOff == true` to the queue ahead of a default filter. */
  workflowSid: string;
  /** "Everyone" (WQ…). */
  taskQueueSid: string;
  /** The available worker "Alice Rep" (WK…), identity `alice_rep` in Conversations. */
  workerSid: string;
}

/** `GET /__emulator/account`, and the line `main.ts` prints. */
export interface AccountInfo extends SeededResources {
  url: string;
  accountSid: string;
}

const regex = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const LatencyBody = z.object({ ms: z.number().int().min(0), path: regex.optional() });

const FaultBody = z
  .object({
    method: z.string().optional(),
    path: regex,
    status: z.number().int().min(400).max(599).optional(),
    code: z.number().int().optional(),
    message: z.string().optional(),
    times: z.number().int().min(0).optional(),
    after: z.number().int().min(0).optional(),
    delayMs: z.number().int().min(1).max(60_000).optional(),
  })
  .refine(
    (fault) => fault.status !== undefined || fault.delayMs !== undefined,
    'a fault needs a status, a delayMs or both',
  )
  .refine((fault) => (fault.status === undefined) === (fault.code === undefined), 'status and code go together');

const HostBody = z.object({
  host: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'a host name such as flex-sms-handoff-1234-dev.twil.io'),
  url: z.url(),
});

const ResendBody = z.object({ index: z.number().int().min(0) });

const SendBody = z.object({
  url: z.url(),
  params: z.record(z.string(), z.string()).default({}),
  /** Sets the AccountSid parameter: an event from another account. */
  accountSid: z.string().optional(),
  /** Signs with this token; the account's by default. */
  authToken: z.string().optional(),
});

const ok = (json: unknown): ControlResult => ({ status: 200, json });
const noContent: ControlResult = { status: 204 };

/** Delivers now and answers what the receiver said; 502 when it cannot be reached. */
async function deliver(outbox: Outbox, webhook: OutgoingWebhook): Promise<ControlResult> {
  try {
    const result = await outbox.deliver(webhook);
    return ok({ status: result.status, contentType: result.headers['content-type'] ?? null, body: result.body });
  } catch (error) {
    throw new ControlError(502, `Webhook ${webhook.url} failed: ${(error as Error).message}`);
  }
}

export function coreControlRoutes(
  store: Store,
  outbox: Outbox,
  account: () => AccountInfo,
  reset: () => void,
): Route<ControlHandler>[] {
  /** GET shows a log, DELETE empties it. */
  const log = (name: string, entries: unknown[]): Route<ControlHandler>[] => [
    { method: 'GET', path: `/__emulator/${name}`, handler: () => ok(entries) },
    {
      method: 'DELETE',
      path: `/__emulator/${name}`,
      handler: () => {
        entries.length = 0;
        return noContent;
      },
    },
  ];
  return [
    { method: 'GET', path: '/__emulator/account', handler: () => ok(account()) },
    ...log('requests', store.requests),
    ...log('violations', store.violations),
    ...log('webhooks', store.webhooks),
    {
      method: 'POST',
      path: '/__emulator/webhooks/resend',
      handler: ({ body }) => {
        const { index } = parseBody(ResendBody, body);
        const webhook = outbox.logged(index);
        if (!webhook) throw new ControlError(404, `No webhook at index ${index}`);
        return deliver(outbox, webhook);
      },
    },
    {
      method: 'POST',
      path: '/__emulator/webhooks/send',
      handler: ({ body }) => {
        const { url, params, accountSid, authToken } = parseBody(SendBody, body);
        return deliver(outbox, {
          product: 'control',
          url,
          params: { ...params, ...(accountSid !== undefined && { AccountSid: accountSid }) },
          authToken,
        });
      },
    },
    {
      method: 'GET',
      path: '/__emulator/idle',
      handler: async () => {
        await outbox.idle();
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/__emulator/latency',
      handler: ({ body }) => {
        const { ms, path } = parseBody(LatencyBody, body);
        store.setLatency(ms, path);
        return ok({ ms, path });
      },
    },
    { method: 'GET', path: '/__emulator/faults', handler: () => ok(store.listFaults()) },
    {
      method: 'POST',
      path: '/__emulator/faults',
      handler: ({ body }) => {
        store.addFault(parseBody(FaultBody, body));
        return noContent;
      },
    },
    {
      method: 'DELETE',
      path: '/__emulator/faults',
      handler: () => {
        store.clearFaults();
        return noContent;
      },
    },
    { method: 'GET', path: '/__emulator/hosts', handler: () => ok(store.listHosts()) },
    {
      method: 'POST',
      path: '/__emulator/hosts',
      handler: ({ body }) => {
        const { host, url } = parseBody(HostBody, body);
        store.serveHost(host, url);
        return ok({ host, url });
      },
    },
    {
      method: 'DELETE',
      path: '/__emulator/hosts',
      handler: () => {
        store.clearHosts();
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/__emulator/reset',
      handler: () => {
        reset();
        return noContent;
      },
    },
  ];
}
