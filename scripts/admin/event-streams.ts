/**
 * How task events reach /taskrouter/event: the workspace's one event callback while it is free or ours (or
 * another deployment's, replaced with --force), else an Event Streams webhook sink subscribed to the same task
 * events, which leaves the other integration's callback as it is. Exactly one of the two may deliver: with
 * both, every event would be handled twice (harmless, each only moves a session forward, but twice the
 * invocations), so setup removes our sink once the callback is ours.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { ENDPOINTS, endpointUrl, hostOf, ownerOf } from './deployment';
import type { Step } from './step';
import { TASKROUTER_EVENTS, type WorkspaceSettings, workspaceStep } from './webhooks';

/** The Event Streams types of the task events the functions act on. */
export const STREAM_TYPES = TASKROUTER_EVENTS.map((event) => `com.twilio.taskrouter.${event}`);

const DESCRIPTION = 'flex-sms-handoff: task events for /taskrouter/event';

interface OurSink {
  sid: string;
  subscriptions: { sid: string; types: string[] }[];
}

/** Our webhook sinks (their destination is this deployment's /taskrouter/event), with what they subscribe to. */
async function readOurSinks(client: TwilioClient, destination: string): Promise<OurSink[]> {
  const events = client.events.v1;
  const sinks = await retryOnServerError(() => events.sinks.list());
  const ours = sinks.filter(
    (sink) =>
      sink.sinkType === 'webhook' &&
      (sink.sinkConfiguration as { destination?: unknown } | null)?.destination === destination,
  );
  return Promise.all(
    ours.map(async (sink) => {
      const subscriptions = await retryOnServerError(() => events.subscriptions.list({ sinkSid: sink.sid }));
      return {
        sid: sink.sid,
        subscriptions: await Promise.all(
          subscriptions.map(async (subscription) => {
            const types = await retryOnServerError(() =>
              events.subscriptions(subscription.sid).subscribedEvents.list(),
            );
            return { sid: subscription.sid, types: types.map((type) => type.type) };
          }),
        ),
      };
    }),
  );
}

const missingTypes = (sink: OurSink | undefined) =>
  STREAM_TYPES.filter((type) => !sink?.subscriptions.some((subscription) => subscription.types.includes(type)));

/** The workspace callback's step, or the Event Streams one when another integration owns the callback. */
export async function taskEventSteps(
  client: TwilioClient,
  workspace: WorkspaceSettings,
  domain: string | undefined,
): Promise<Step[]> {
  if (!domain) return [workspaceStep(client, workspace, domain)];
  const url = endpointUrl(domain, 'taskrouter');
  const sinks = await readOurSinks(client, url);
  if (ownerOf(workspace.eventCallbackUrl, domain, 'taskrouter') === 'other-integration') {
    return [streamStep(client, workspace, url, sinks)];
  }
  const callback = workspaceStep(client, workspace, domain);
  return sinks.length ? [callback, duplicateStep(client, url, sinks)] : [callback];
}

function streamStep(client: TwilioClient, workspace: WorkspaceSettings, url: string, sinks: OurSink[]): Step {
  const base = { id: 'event-streams', subject: 'Task events through Event Streams', setting: true };
  const theirs = `the workspace callback stays ${workspace.eventCallbackUrl} (another integration's)`;
  const complete = sinks.find((sink) => missingTypes(sink).length === 0);
  if (complete) {
    const detail = `sink ${complete.sid} sends ${STREAM_TYPES.length} task event types to ${url}; ${theirs}`;
    return { ...base, status: 'ok', detail, changes: [] };
  }
  const [sink] = sinks;
  const missing = missingTypes(sink);
  const subscription = sink?.subscriptions[0];
  return {
    ...base,
    status: 'fixable',
    detail: sink
      ? `sink ${sink.sid} to ${url} is not subscribed to ${missing.join(', ')}`
      : `the workspace callback is another integration's (${workspace.eventCallbackUrl}), and no Event Streams sink sends task events to ${url}`,
    consequence:
      'The number never goes back to the AI after a rep finishes or nobody answers: ' +
      `no task event reaches ${ENDPOINTS.taskrouter}`,
    fix:
      'npm run setup -- --yes subscribes /taskrouter/event to the task events through Event Streams, ' +
      'leaving the workspace callback as it is',
    confirm: `Subscribe ${url} to task events through Event Streams, leaving the workspace callback to ${hostOf(workspace.eventCallbackUrl)}?`,
    action: 'subscribe it through Event Streams',
    changes: [
      ...(sink ? [] : [{ field: 'Event Streams sink (webhook)', from: null, to: url }]),
      { field: 'Subscribed events', from: null, to: missing.join(', ') },
    ],
    apply: async () => {
      const events = client.events.v1;
      const sinkSid =
        sink?.sid ??
        (
          await events.sinks.create({
            description: DESCRIPTION,
            sinkType: 'webhook',
            sinkConfiguration: { destination: url, method: 'POST' },
          })
        ).sid;
      if (subscription) {
        for (const type of missing) await events.subscriptions(subscription.sid).subscribedEvents.create({ type });
      } else {
        const types = missing.map((type) => ({ type, schema_version: 1 }));
        await events.subscriptions.create({ description: DESCRIPTION, sinkSid, types });
      }
      return `task events go to ${url} through Event Streams (sink ${sinkSid}); ${theirs}`;
    },
  };
}

/** Our sink beside the workspace callback: the same events twice. */
function duplicateStep(client: TwilioClient, url: string, sinks: OurSink[]): Step {
  const sids = sinks.map((sink) => sink.sid).join(', ');
  return {
    id: 'event-streams',
    subject: 'Task events through Event Streams',
    setting: true,
    status: 'fixable',
    detail: `sink ${sids} also sends task events to ${url}, beside the workspace callback`,
    consequence: `Every task event reaches ${ENDPOINTS.taskrouter} twice (harmless, but twice the invocations)`,
    fix: 'npm run setup removes the sink: the workspace callback is ours',
    action: 'remove it',
    changes: sinks.map((sink) => ({ field: 'Event Streams sink', from: sink.sid, to: '(removed)' })),
    apply: async () => {
      const events = client.events.v1;
      for (const sink of sinks) {
        for (const subscription of sink.subscriptions) await events.subscriptions(subscription.sid).remove();
        await events.sinks(sink.sid).remove();
      }
      return `removed sink ${sids}: task events come through the workspace callback only`;
    },
  };
}
