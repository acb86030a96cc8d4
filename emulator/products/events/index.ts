/**
 * Event Streams (events.twilio.com/v1): webhook sinks and subscriptions to event types. TaskRouter publishes
 * its workspace events here as well as to the workspace's callback (`products/taskrouter/events.ts`).
 */
import { notFound } from '../../errors';
import { v1Page } from '../../paging';
import { type ApiRequest, type ApiResult, type ApiRoute, inputOf, type Product } from '../../product';
import type { Store } from '../../store';
import { EventStreams, type Sink, type Subscription } from './engine';
import { renderSink, renderSubscribedEvent, renderSubscription, SUB } from './render';

const SINKS = '/v1/Sinks';
const SUBSCRIPTIONS = '/v1/Subscriptions';
const SUBSCRIBED = `${SUBSCRIPTIONS}/{SubscriptionSid}/SubscribedEvents`;

export class EventsProduct implements Product {
  readonly sub = SUB;
  readonly streams: EventStreams;

  readonly routes: ApiRoute[] = [
    { method: 'POST', path: SINKS, handler: (req) => this.createSink(req) },
    { method: 'GET', path: SINKS, handler: (req) => this.listSinks(req) },
    { method: 'GET', path: `${SINKS}/{Sid}`, handler: (req) => ok(renderSink(this.sink(req, req.params.Sid))) },
    { method: 'POST', path: `${SINKS}/{Sid}`, handler: (req) => this.updateSink(req) },
    { method: 'DELETE', path: `${SINKS}/{Sid}`, handler: (req) => this.deleteSink(req) },
    { method: 'POST', path: SUBSCRIPTIONS, handler: (req) => this.createSubscription(req) },
    { method: 'GET', path: SUBSCRIPTIONS, handler: (req) => this.listSubscriptions(req) },
    {
      method: 'GET',
      path: `${SUBSCRIPTIONS}/{Sid}`,
      handler: (req) => ok(renderSubscription(this.accountSid, this.subscription(req, req.params.Sid))),
    },
    { method: 'DELETE', path: `${SUBSCRIPTIONS}/{Sid}`, handler: (req) => this.deleteSubscription(req) },
    { method: 'GET', path: SUBSCRIBED, handler: (req) => this.listSubscribed(req) },
    { method: 'POST', path: SUBSCRIBED, handler: (req) => this.addSubscribed(req) },
  ];

  constructor(private readonly store: Store) {
    this.streams = new EventStreams(store);
  }

  reset(): void {
    this.streams.reset();
  }

  private get accountSid(): string {
    return this.store.account.sid;
  }

  private createSink(req: ApiRequest): ApiResult {
    const { Description, SinkType, SinkConfiguration } = inputOf<{
      Description: string;
      SinkType: string;
      SinkConfiguration: unknown;
    }>(req);
    return { status: 201, json: renderSink(this.streams.createSink(Description, SinkType, SinkConfiguration)) };
  }

  private listSinks(req: ApiRequest): ApiResult {
    const { InUse, Status } = inputOf<{ InUse?: boolean; Status?: string }>(req);
    const used = new Set([...this.streams.subscriptions.values()].map((s) => s.sinkSid));
    const sinks = [...this.streams.sinks.values()].filter(
      (sink) =>
        (InUse === undefined || used.has(sink.sid) === InUse) && (Status === undefined || sink.status === Status),
    );
    return ok(v1Page(SUB, req, 'sinks', sinks, renderSink));
  }

  private updateSink(req: ApiRequest): ApiResult {
    const sink = this.sink(req, req.params.Sid);
    sink.description = inputOf<{ Description: string }>(req).Description;
    sink.updatedAt = this.store.clock.now();
    return ok(renderSink(sink));
  }

  private deleteSink(req: ApiRequest): ApiResult {
    this.streams.deleteSink(this.sink(req, req.params.Sid));
    return { status: 204 };
  }

  private createSubscription(req: ApiRequest): ApiResult {
    const { Description, SinkSid, Types } = inputOf<{ Description: string; SinkSid: string; Types: unknown[] }>(req);
    const subscription = this.streams.createSubscription(Description, SinkSid, Types);
    return { status: 201, json: renderSubscription(this.accountSid, subscription) };
  }

  private listSubscriptions(req: ApiRequest): ApiResult {
    const { SinkSid } = inputOf<{ SinkSid?: string }>(req);
    const all = [...this.streams.subscriptions.values()].filter((s) => !SinkSid || s.sinkSid === SinkSid);
    return ok(v1Page(SUB, req, 'subscriptions', all, (s) => renderSubscription(this.accountSid, s)));
  }

  private deleteSubscription(req: ApiRequest): ApiResult {
    this.streams.subscriptions.delete(this.subscription(req, req.params.Sid).sid);
    return { status: 204 };
  }

  private listSubscribed(req: ApiRequest): ApiResult {
    const subscription = this.subscription(req, req.params.SubscriptionSid);
    const json = v1Page(SUB, req, 'types', [...subscription.types.keys()], (type) =>
      renderSubscribedEvent(this.accountSid, subscription, type),
    );
    return ok(json);
  }

  private addSubscribed(req: ApiRequest): ApiResult {
    const subscription = this.subscription(req, req.params.SubscriptionSid);
    const { Type, SchemaVersion } = inputOf<{ Type: string; SchemaVersion?: number }>(req);
    this.streams.addType(subscription, Type, SchemaVersion);
    return { status: 201, json: renderSubscribedEvent(this.accountSid, subscription, Type) };
  }

  private sink(req: ApiRequest, sid: string): Sink {
    const sink = this.streams.sinks.get(sid);
    if (!sink) throw notFound(req.path);
    return sink;
  }

  private subscription(req: ApiRequest, sid: string): Subscription {
    const subscription = this.streams.subscriptions.get(sid);
    if (!subscription) throw notFound(req.path);
    return subscription;
  }
}

const ok = (json: unknown): ApiResult => ({ status: 200, json });
