/** Acting as Flex, a rep and an outside system in end-to-end tests, and reading what the rep would see. */
import twilio from 'twilio';
import { control, stackEnv, twilioClient } from './e2e';

export interface ConversationMessage {
  author: string;
  body: string | null;
  attributes: string;
  media: unknown;
  index: number;
  dateCreated: Date;
}

/** Waits until the emulator has delivered every queued TaskRouter and Conversations webhook. */
export function idle(): Promise<void> {
  return control('GET', '/idle');
}

export function flex(
  action: 'accept' | 'reply' | 'complete' | 'cancel' | 'timeout' | 'delete' | 'update-attributes',
  body: object,
) {
  return control<unknown>('POST', `/flex/${action}`, body);
}

export async function conversationMessages(conversationSid: string): Promise<ConversationMessage[]> {
  const { CONVERSATIONS_SERVICE_SID } = stackEnv();
  const messages = await twilioClient()
    .conversations.v1.services(CONVERSATIONS_SERVICE_SID)
    .conversations(conversationSid)
    .messages.list({ order: 'asc', pageSize: 100 });
  return messages.map(({ author, body, attributes, media, index, dateCreated }) => ({
    author,
    body,
    attributes,
    media,
    index,
    dateCreated,
  }));
}

export async function conversation(conversationSid: string) {
  return twilioClient()
    .conversations.v1.services(stackEnv().CONVERSATIONS_SERVICE_SID)
    .conversations(conversationSid)
    .fetch();
}

/** The Flex tasks of a contact, newest last. */
export async function tasksOf(contact: string) {
  const tasks = await twilioClient()
    .taskrouter.v1.workspaces(stackEnv().FLEX_WORKSPACE_SID)
    .tasks.list({ evaluateTaskAttributes: `from == "${contact}"` });
  return tasks
    .map((task) => ({
      sid: task.sid,
      status: task.assignmentStatus,
      attributes: JSON.parse(task.attributes) as Record<string, unknown>,
      dateCreated: task.dateCreated,
    }))
    .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
}

/** Conversations of the service that hold this contact's handoffs. */
export async function conversationsOf(contact: string) {
  const all = await twilioClient().conversations.v1.services(stackEnv().CONVERSATIONS_SERVICE_SID).conversations.list();
  return all.filter((item) => item.friendlyName === contact);
}

export async function outboundTo(contact: string): Promise<{ body: string; source: string; media: string[] }[]> {
  return control('GET', `/outbound?to=${encodeURIComponent(contact)}`);
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Calls /flex/handoff as an outside system (bearer key), as Twilio (signed), or with the given headers. */
export async function callHandoff(
  params: Record<string, string>,
  auth: { bearer?: string; signed?: boolean; signWith?: string } = { bearer: stackEnv().HANDOFF_API_KEY },
): Promise<HttpAnswer> {
  const env = stackEnv();
  const url = `${env.FUNCTIONS_URL}/flex/handoff`;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (auth.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
  if (auth.signed) {
    headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(auth.signWith ?? env.AUTH_TOKEN, url, params);
  }
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Sends a signed webhook with arbitrary parameters to one of our functions, as Twilio would. */
export async function signedWebhook(path: string, params: Record<string, string>, authToken = stackEnv().AUTH_TOKEN) {
  const url = `${stackEnv().FUNCTIONS_URL}${path}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params),
  });
  return response.status;
}
