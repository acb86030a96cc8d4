/**
 * The webhooks that bring Twilio's events to the deployment: the number's incoming-message URL and the
 * workspace's event callback (or Event Streams: event-streams.ts); and the Conversations service's post-event
 * webhook, which handoffs no longer need. Each is read, compared with what this deployment needs, and planned
 * as a step: a webhook on another domain is another deployment's and is replaced only with --force.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { ENDPOINTS, endpointUrl, hostOf, ownerOf } from './deployment';
import { readHandoffConversations, wireHandoffConversations } from './handoff-conversations';
import type { MessagingServiceInfo } from './messaging-services';
import type { AccountNumber } from './numbers';
import type { FieldChange, Step } from './step';

/** The events /taskrouter/event acts on (assets/handoff/task-events.private.ts): the workspace sends only these. */
export const TASKROUTER_EVENTS = [
  'task.created',
  'reservation.accepted',
  'task.updated',
  'task.wrapup',
  'task.completed',
  'task.canceled',
  'task.deleted',
  'workflow.timeout',
] as const;

interface Field {
  /** The parameter's name in Twilio's API. */
  name: string;
  current: string | null;
  desired: string;
  /** The current value does the job as setup would set it (lists compare as sets). */
  matches: boolean;
  /** What is wrong when it does not match and that breaks the handoff; none for a mere tidy-up. */
  problem?: string;
}

interface Webhook {
  id: string;
  subject: string;
  domain: string;
  /** The URL field first. */
  fields: [Field, ...Field[]];
  /** How it is when all is well (`texts go to https://…`): now, or once setup has written it. */
  describe(when: 'now' | 'written'): string;
  /** What goes wrong while it misses this deployment. */
  unreached: string;
  write(): Promise<void>;
}

function urlField(name: string, current: string | null, desired: string): Field {
  const problem = `is ${current || 'not set'}`;
  return { name, current: current || null, desired, matches: current === desired, problem };
}

function methodField(name: string, current: string | null): Field {
  const matches = current?.toUpperCase() === 'POST';
  return { name, current, desired: 'POST', matches, problem: matches ? undefined : `is ${current}, not POST` };
}

const list = (items: readonly string[]) => items.join(', ');

/** Without the deployment's domain, nobody can tell whether a webhook points at it. */
function domainUnknown(id: string, subject: string, currentUrl: string | null, unreached: string): Step {
  return {
    id,
    subject,
    setting: true,
    status: 'broken',
    detail: currentUrl ? `points at ${currentUrl}; this deployment's domain is unknown` : 'not set',
    consequence: currentUrl ? undefined : unreached,
    fix: 'Pass --domain <your service domain>, or deploy first (npm run deploy)',
    changes: [],
  };
}

/** The step that takes the webhook to this deployment. */
function planWebhook(webhook: Webhook): Step {
  const { id, subject, domain } = webhook;
  const [url] = webhook.fields;
  const base = { id, subject, setting: true };
  const changes: FieldChange[] = webhook.fields
    .filter((field) => !field.matches)
    .map((field) => ({ field: field.name, from: field.current, to: field.desired }));
  const apply = async () => {
    await webhook.write();
    return webhook.describe('written');
  };
  const elsewhere = hostOf(url.current);
  if (elsewhere && elsewhere !== domain) {
    return {
      ...base,
      status: 'conflict',
      action: `point it at ${domain}`,
      detail: `points at ${url.current}, not at ${domain}`,
      consequence: `Events go to another deployment: ${subject} sends them to ${elsewhere}`,
      fix: `npm run setup -- --force points it at ${domain}`,
      changes,
      apply,
    };
  }
  const problems = webhook.fields.filter((field) => !field.matches && field.problem);
  if (problems.length === 0) {
    // Possibly with tidy-ups (a narrower events filter) that setup applies and the doctor does not mind.
    const detail = webhook.describe('now');
    return { ...base, status: 'ok', detail, changes, action: 'tidy it', apply: changes.length ? apply : undefined };
  }
  return {
    ...base,
    status: 'fixable',
    detail: url.current ? problems.map((field) => `${field.name} ${field.problem}`).join('; ') : 'not set',
    consequence: webhook.unreached,
    fix: 'npm run setup',
    changes,
    action: url.current ? 'update it' : 'set it',
    apply,
  };
}

// The number

/**
 * The number's own SMS URL. A Messaging Service holding the number that does not defer to it decides where its
 * texts go instead: when that is this deployment, the number's own URL is not used and needs nothing.
 */
export function numberStep(
  client: TwilioClient,
  number: AccountNumber,
  domain: string | undefined,
  service?: MessagingServiceInfo,
): Step {
  const subject = `Twilio number ${number.phoneNumber}`;
  const unreached =
    `No Flex task will be created: texts to ${number.phoneNumber} do not reach ${ENDPOINTS.sms}, ` +
    'so the AI never answers them or hands them off';
  if (!domain) return domainUnknown('number', subject, number.smsUrl, unreached);
  const smsUrl = endpointUrl(domain, 'sms');
  const step = planWebhook({
    id: 'number',
    subject,
    domain,
    fields: [urlField('SmsUrl', number.smsUrl, smsUrl), methodField('SmsMethod', number.smsMethod)],
    describe: () => `texts go to ${smsUrl}`,
    unreached,
    write: async () => {
      await client.incomingPhoneNumbers(number.sid).update({ smsUrl, smsMethod: 'POST' });
    },
  });
  if (!service || service.useInboundWebhookOnNumber) return step;
  const through = `Messaging Service "${service.friendlyName}"`;
  if (service.inboundRequestUrl !== smsUrl) {
    // Right, but not what decides: the service's step says where texts go.
    return step.status === 'ok'
      ? { ...step, detail: `its SMS URL is ${smsUrl}, but ${through} decides where texts go` }
      : step;
  }
  const own = number.smsUrl || 'not set';
  return {
    id: 'number',
    subject,
    setting: true,
    status: 'ok',
    detail: `texts go to ${smsUrl} through ${through} (its own SMS URL, ${own}, is not used)`,
    changes: [],
  };
}

// The workspace's event callback

export interface WorkspaceSettings {
  sid: string;
  friendlyName: string;
  eventCallbackUrl: string | null;
  eventsFilter: string | null;
}

export function workspaceStep(client: TwilioClient, workspace: WorkspaceSettings, domain: string | undefined): Step {
  const subject = `Workspace "${workspace.friendlyName}" event callback`;
  const events = (workspace.eventsFilter ?? '')
    .split(',')
    .map((event) => event.trim())
    .filter(Boolean);
  const left = TASKROUTER_EVENTS.filter((event) => !events.includes(event));
  const unsent = events.length > 0 && left.length > 0 ? list(left) : 'task events';
  const unreached =
    'The number never goes back to the AI after a rep finishes or nobody answers: ' +
    `TaskRouter does not send ${unsent} to ${ENDPOINTS.taskrouter}`;
  if (!domain) return domainUnknown('workspace', subject, workspace.eventCallbackUrl, unreached);
  // No filter sends every event: nothing is lost, but setup narrows it to the events the functions act on.
  const filter: Field = {
    name: 'EventsFilter',
    current: workspace.eventsFilter || null,
    desired: TASKROUTER_EVENTS.join(','),
    matches: left.length === 0 && events.length === TASKROUTER_EVENTS.length,
    problem: events.length > 0 && left.length > 0 ? `leaves out ${list(left)}` : undefined,
  };
  const eventCallbackUrl = endpointUrl(domain, 'taskrouter');
  return planWebhook({
    id: 'workspace',
    subject,
    domain,
    fields: [urlField('EventCallbackUrl', workspace.eventCallbackUrl, eventCallbackUrl), filter],
    describe: (when) => {
      const sent = when === 'written' ? TASKROUTER_EVENTS : events;
      return `events go to ${eventCallbackUrl} (${sent.length ? `${sent.length} event types` : 'all events'})`;
    },
    unreached,
    write: async () => {
      await client.taskrouter.v1.workspaces(workspace.sid).update({ eventCallbackUrl, eventsFilter: filter.desired });
    },
  });
}

// The Conversations service's post-event webhook

/**
 * The Conversations service's one post-event webhook, which this deployment no longer needs (each handoff
 * conversation has its own): another integration's or another deployment's stays as it is; ours, from before,
 * is removed once every open handoff conversation has its own webhook, so no event of a handoff in flight is
 * lost.
 */
export async function conversationsStep(
  client: TwilioClient,
  service: { sid: string; friendlyName: string },
  domain: string,
): Promise<Step> {
  const subject = `Conversations service "${service.friendlyName}" post-event webhook`;
  const webhooks = client.conversations.v1.services(service.sid).configuration.webhooks();
  const { postWebhookUrl } = await retryOnServerError(() => webhooks.fetch());
  const base = { id: 'conversations', subject, setting: true, changes: [] };
  const owner = ownerOf(postWebhookUrl, domain, 'conversations');
  if (owner === 'none') return { ...base, status: 'ok', detail: 'not needed: each handoff conversation has its own' };
  if (owner !== 'ours') {
    const whose = owner === 'other-deployment' ? 'another deployment' : 'another integration';
    return { ...base, status: 'ok', detail: `${postWebhookUrl} (${whose}'s): left as it is` };
  }
  return {
    ...base,
    status: 'fixable',
    detail: `still points at ${postWebhookUrl}, which each handoff conversation's own webhook replaces`,
    consequence: `Every conversation of the account (web chat, WhatsApp, other numbers) calls ${ENDPOINTS.conversations} for nothing`,
    fix: 'npm run setup removes it, after giving every open handoff conversation its own webhook',
    action: 'remove it',
    changes: [{ field: 'PostWebhookUrl', from: postWebhookUrl, to: '(none)' }],
    apply: async () => {
      // Read again: a handoff may have opened since the plan was read.
      const { unwired } = await readHandoffConversations(client, service.sid, domain);
      const wired = await wireHandoffConversations(client, service.sid, unwired);
      await webhooks.update({ postWebhookUrl: '' });
      const first = wired ? `gave ${wired} open handoff conversation(s) their own webhook, then ` : '';
      return `${first}removed it: handoff conversations carry their own webhook`;
    },
  };
}
