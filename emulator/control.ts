/**
 * The control API under `/__emulator/`: what tests and scripts use to observe the emulator and to inject
 * trouble. Not Twilio's: no auth, no spec validation, JSON in and out.
 */
import { z } from 'zod';
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

export interface AccountInfo {
  url: string;
  accountSid: string;
  phoneNumber: string;
  syncServiceSid: string;
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

const FaultBody = z.object({
  method: z.string().optional(),
  path: regex,
  status: z.number().int().min(400).max(599),
  code: z.number().int(),
  message: z.string().optional(),
  times: z.number().int().min(0).optional(),
});

const ok = (json: unknown): ControlResult => ({ status: 200, json });
const noContent: ControlResult = { status: 204 };

export function coreControlRoutes(
  store: Store,
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
      path: '/__emulator/latency',
      handler: ({ body }) => {
        const { ms, path } = parseBody(LatencyBody, body);
        store.setLatency(ms, path);
        return ok({ ms, path });
      },
    },
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
