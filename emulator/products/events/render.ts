/** Events v1 JSON for sinks, subscriptions and their subscribed events. */
import { isoDate, shape, twilioUrl } from '../../resources';
import type { Sink, Subscription } from './engine';

export const SUB = 'events';

export function renderSink(sink: Sink) {
  const url = twilioUrl(SUB, `/v1/Sinks/${sink.sid}`);
  return shape('events.v1.sink', {
    date_created: isoDate(sink.createdAt),
    date_updated: isoDate(sink.updatedAt),
    description: sink.description,
    sid: sink.sid,
    sink_configuration: sink.configuration,
    sink_type: sink.sinkType,
    status: sink.status,
    url,
    links: { sink_test: `${url}/Test`, sink_validate: `${url}/Validate` },
  });
}

export function renderSubscription(accountSid: string, subscription: Subscription) {
  const url = twilioUrl(SUB, `/v1/Subscriptions/${subscription.sid}`);
  return shape('events.v1.subscription', {
    account_sid: accountSid,
    sid: subscription.sid,
    date_created: isoDate(subscription.createdAt),
    date_updated: isoDate(subscription.updatedAt),
    description: subscription.description,
    sink_sid: subscription.sinkSid,
    url,
    links: { subscribed_events: `${url}/SubscribedEvents` },
  });
}

export function renderSubscribedEvent(accountSid: string, subscription: Subscription, type: string) {
  return shape('events.v1.subscription.subscribed_event', {
    account_sid: accountSid,
    type,
    schema_version: subscription.types.get(type),
    subscription_sid: subscription.sid,
    url: twilioUrl(SUB, `/v1/Subscriptions/${subscription.sid}/SubscribedEvents/${encodeURIComponent(type)}`),
  });
}
