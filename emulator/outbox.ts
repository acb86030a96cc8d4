/**
 * Everything the emulator sends back to the application, and the work it does after answering (Flex creating
 * a task). Webhooks to one URL go one at a time, in order, as TaskRouter and Conversations deliver events;
 * each delivery is logged with its parameters so it can be inspected or re-sent. `idle()` settles once nothing
 * is queued or under way, so tests can wait for the callbacks deterministically.
 */
import type { Store, WebhookLogEntry } from './store';
import { sendWebhook, type SignatureMode, type WebhookResult } from './webhooks';

export interface OutgoingWebhook {
  /** Who sends it, for the log: `messaging`, `conversations`, `taskrouter`, `control`. */
  product: string;
  url: string;
  params: Record<string, string>;
  /** A JSON body (Event Streams' CloudEvents), sent instead of `params`. */
  json?: unknown;
  eventType?: string;
  /** Signs with this token instead of the account's (a webhook from another account). */
  authToken?: string;
  signature?: SignatureMode;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class Outbox {
  /** The last delivery queued per URL: the next one waits for it. */
  private readonly lanes = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<unknown>>();
  /** What each log entry sent, so it can be re-sent as it was. */
  private readonly sent = new WeakMap<WebhookLogEntry, OutgoingWebhook>();

  constructor(private readonly store: Store) {}

  /** Sends now and logs the delivery; rejects when the URL cannot be reached. */
  async deliver(webhook: OutgoingWebhook): Promise<WebhookResult> {
    const { url, params, json, authToken = this.store.account.authToken, signature, headers, timeoutMs } = webhook;
    const entry: WebhookLogEntry = {
      product: webhook.product,
      url,
      ...(webhook.eventType !== undefined && { eventType: webhook.eventType }),
      params,
      ...(json !== undefined && { json }),
      status: 0,
      durationMs: 0,
      at: this.store.timestamp(),
    };
    this.sent.set(entry, webhook);
    try {
      // Signed over the URL called: what a locally served deployment sees as its own.
      const target = this.store.routeWebhook(url);
      const result = await sendWebhook(target, params, authToken, { signature, headers, timeoutMs, json });
      entry.status = result.status;
      entry.durationMs = result.durationMs;
      return result;
    } catch (error) {
      entry.error = (error as Error).message;
      throw error;
    } finally {
      this.store.webhooks.push(entry);
    }
  }

  /** Delivers after every webhook queued before it to the same URL; failures are only logged. */
  enqueue(webhook: OutgoingWebhook): Promise<WebhookResult | undefined> {
    const previous = this.lanes.get(webhook.url) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(webhook).catch(() => undefined));
    this.lanes.set(webhook.url, delivery);
    return this.track(delivery);
  }

  /** Runs `job` after the current request has been answered, as Twilio's asynchronous work does. */
  defer(job: () => void | Promise<void>): void {
    const run = new Promise((resolve) => setImmediate(resolve)).then(job);
    void this.track(
      run.catch((error: unknown) => {
        console.error('emulator: deferred work failed', error);
      }),
    );
  }

  /** The webhook logged at `index`, to re-send as it was: same parameters, headers and signing key. */
  logged(index: number): OutgoingWebhook | undefined {
    const entry = this.store.webhooks[index];
    return entry && this.sent.get(entry);
  }

  /** Settles once no webhook is queued or under way and no deferred work is left. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  reset(): void {
    this.lanes.clear(); // deliveries under way finish; later ones no longer wait for them
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const settled = () => this.pending.delete(promise);
    promise.then(settled, settled);
    return promise;
  }
}
