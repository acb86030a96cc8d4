/**
 * Event Streams: sinks (where events go) and subscriptions (which event types go to a sink). A product
 * publishes an event once; every subscription of an active webhook sink that names its type gets it as a
 * CloudEvent, POSTed as JSON and signed over the body's SHA-256 (`emulator/webhooks.ts`). Webhook sinks are
 * active from creation, as Twilio's are; other sink types are stored but deliver nothing here.
 */
import { TwilioError } from '../../errors';
import type { OutgoingWebhook } from '../../outbox';
import { newSid } from '../../sid';
import type { Store } from '../../store';

export interface Sink {
  sid: string;
  description: string;
  sinkType: string;
  configuration: Record<string, unknown>;
  status: 'initialized' | 'validating' | 'active' | 'failed';
  createdAt: number;
  updatedAt: number;
}

export interface Subscription {
  sid: string;
  description: string;
  sinkSid: string;
  /** Event type → schema version. */
  types: Map<string, number>;
  createdAt: number;
  updatedAt: number;
}

/** A CloudEvent as Event Streams delivers it (JSON, spec version 1.0). */
export interface CloudEvent {
  specversion: '1.0';
  type: string;
  source: string;
  id: string;
  dataschema: string;
  datacontenttype: 'application/json';
  time: string;
  data: unknown;
}

const TIMEOUT_MS = 5_000; // Event Streams waits at most 5 s for a webhook sink

/** Invalid parameter, as Event Streams answers it. */
const invalid = (message: string) => new TwilioError(400, 20001, message);

export class EventStreams {
  readonly sinks = new Map<string, Sink>();
  readonly subscriptions = new Map<string, Subscription>();

  constructor(private readonly store: Store) {}

  reset(): void {
    this.sinks.clear();
    this.subscriptions.clear();
  }

  createSink(description: string, sinkType: string, configuration: unknown): Sink {
    if (typeof configuration !== 'object' || configuration === null)
      throw invalid('SinkConfiguration is not an object');
    const config = configuration as Record<string, unknown>;
    if (sinkType === 'webhook') {
      if (typeof config.destination !== 'string' || !/^https?:\/\//.test(config.destination))
        throw invalid('SinkConfiguration.destination must be an http(s) URL');
      const method = config.method ?? 'POST';
      if (typeof method !== 'string' || !['POST', 'GET'].includes(method.toUpperCase()))
        throw invalid('SinkConfiguration.method must be POST or GET');
    }
    const now = this.store.clock.now();
    const sink: Sink = {
      sid: newSid('DG'),
      description,
      sinkType,
      configuration: config,
      status: sinkType === 'webhook' ? 'active' : 'initialized',
      createdAt: now,
      updatedAt: now,
    };
    this.sinks.set(sink.sid, sink);
    return sink;
  }

  deleteSink(sink: Sink): void {
    if ([...this.subscriptions.values()].some((s) => s.sinkSid === sink.sid))
      throw invalid(`Sink ${sink.sid} is in use by a subscription; delete the subscription first`);
    this.sinks.delete(sink.sid);
  }

  createSubscription(description: string, sinkSid: string, types: unknown[]): Subscription {
    const sink = this.sinks.get(sinkSid);
    if (!sink) throw invalid(`Sink ${sinkSid} does not exist`);
    if (sink.status !== 'active') throw invalid(`Sink ${sinkSid} is not active`);
    if (types.length === 0) throw invalid('Types must name at least one event type');
    const now = this.store.clock.now();
    const subscription: Subscription = {
      sid: newSid('DF'),
      description,
      sinkSid,
      types: new Map(types.map((type) => readType(type))),
      createdAt: now,
      updatedAt: now,
    };
    this.subscriptions.set(subscription.sid, subscription);
    return subscription;
  }

  addType(subscription: Subscription, type: string, schemaVersion = 1): void {
    checkType(type);
    subscription.types.set(type, schemaVersion);
    subscription.updatedAt = this.store.clock.now();
  }

  /** One delivery per webhook sink subscribed to `type` (a sink gets an event once, however many subscriptions). */
  deliveries(type: string, source: string, dataschema: string, data: unknown): OutgoingWebhook[] {
    const sinkSids = new Set([...this.subscriptions.values()].filter((s) => s.types.has(type)).map((s) => s.sinkSid));
    return [...sinkSids].flatMap((sid): OutgoingWebhook[] => {
      const sink = this.sinks.get(sid);
      if (!sink || sink.sinkType !== 'webhook' || sink.status !== 'active') return [];
      const event: CloudEvent = {
        specversion: '1.0',
        type,
        source,
        id: newSid('EZ'),
        dataschema,
        datacontenttype: 'application/json',
        time: new Date(this.store.clock.now()).toISOString(),
        data,
      };
      // Batched (the default): a JSON array of events; `batch_events: false`: the event alone.
      const json = sink.configuration.batch_events === false ? event : [event];
      return [
        {
          product: 'events',
          url: String(sink.configuration.destination),
          eventType: type,
          params: {},
          json,
          timeoutMs: TIMEOUT_MS,
        },
      ];
    });
  }
}

function checkType(type: string): void {
  if (!/^com\.twilio\.[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(type)) throw invalid(`${type} is not an event type`);
}

/** An entry of CreateSubscription's Types: `{"type": "com.twilio…", "schema_version": 1}`. */
function readType(entry: unknown): [string, number] {
  const { type, schema_version: version = 1 } = (entry ?? {}) as { type?: unknown; schema_version?: unknown };
  if (typeof type !== 'string') throw invalid('Each of Types needs a type');
  checkType(type);
  if (typeof version !== 'number' || !Number.isInteger(version))
    throw invalid(`schema_version of ${type} is not an integer`);
  return [type, version];
}
