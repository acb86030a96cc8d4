/** Conversations' resources as the emulator keeps them, and the rules on their values (timers, attributes). */
import { TwilioError } from '../../errors';
import type { McsMedia } from '../mcs';

export type ConversationState = 'active' | 'inactive' | 'closed';
/** Where a message came from, as the onMessageAdded webhook's `Source` says. */
export type MessageSource = 'API' | 'SDK' | 'SMS';

export interface WebhookConfiguration {
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
  filters: string[];
  method: 'GET' | 'POST';
}

export interface ChatService {
  sid: string;
  friendlyName: string;
  createdAt: number;
  updatedAt: number;
  webhooks: WebhookConfiguration;
  /** The `WebhookSid` of the service's post-event webhook. */
  webhookSid: string;
  /** The role participants get by default (RL…). */
  participantRoleSid: string;
  conversations: Map<string, Conversation>;
}

export interface Timers {
  inactiveMs: number | null;
  closedMs: number | null;
}

export interface Conversation {
  sid: string;
  serviceSid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  attributes: string;
  messagingServiceSid: string | null;
  state: ConversationState;
  timers: Timers;
  createdAt: number;
  updatedAt: number;
  /** Timers count from here: creation, the last message or participant, a timer change. */
  lastActivityAt: number;
  messages: ConversationMessage[];
  /** Indexes only grow, also past deleted messages. */
  nextIndex: number;
  participants: Map<string, Participant>;
  /** Conversation-scoped webhooks: each gets this conversation's events its filters name. */
  webhooks: Map<string, ScopedWebhook>;
}

/** A conversation-scoped webhook of target `webhook` (Studio and trigger targets are not emulated). */
export interface ScopedWebhook {
  sid: string;
  target: 'webhook';
  url: string;
  method: 'GET' | 'POST';
  filters: string[];
  createdAt: number;
  updatedAt: number;
}

export interface MessagingBinding {
  address: string;
  proxyAddress: string;
}

export interface Participant {
  sid: string;
  conversationSid: string;
  /** Chat participants (a rep) have an identity; SMS participants a messaging binding. */
  identity: string | null;
  binding: MessagingBinding | null;
  attributes: string;
  roleSid: string;
  createdAt: number;
  updatedAt: number;
}

export interface ConversationMessage {
  sid: string;
  conversationSid: string;
  index: number;
  author: string;
  body: string | null;
  attributes: string;
  media: McsMedia[];
  participantSid: string | null;
  source: MessageSource;
  createdAt: number;
  updatedAt: number;
  /** How many SMS participants it was texted to, and how many of those sends failed. */
  delivery: { total: number; failed: number };
}

// Error codes Twilio answers with
export const UNIQUE_NAME_TAKEN = 50353;
export const BINDING_IN_USE = 50416;
export const CLOSED = 50377;

/** Conversations keeps attributes as a JSON string (Twilio's 50304, also for messages and participants). */
export function checkAttributes(json: string | undefined): string {
  if (json === undefined) return '{}';
  try {
    JSON.parse(json);
  } catch {
    throw new TwilioError(400, 50304, 'Attributes must be valid JSON');
  }
  return json;
}

export function closedError(conversation: Conversation): TwilioError {
  return new TwilioError(400, CLOSED, `Conversation ${conversation.sid} is closed and cannot be changed`);
}

const MINUTE_MS = 60_000;
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO 8601 duration (weeks, days, hours, minutes, seconds) in milliseconds; undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  const match = ISO_DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

interface TimerRule {
  parameter: 'Timers.Inactive' | 'Timers.Closed';
  minimumMs: number;
  /** Twilio's codes for a value that is not a duration, and for one under the minimum. */
  formatCode: number;
  minimumCode: number;
}

const TIMER_RULES: Record<keyof Timers, TimerRule> = {
  inactiveMs: { parameter: 'Timers.Inactive', minimumMs: MINUTE_MS, formatCode: 50379, minimumCode: 50375 },
  closedMs: { parameter: 'Timers.Closed', minimumMs: 10 * MINUTE_MS, formatCode: 50380, minimumCode: 50376 },
};

/**
 * The timers a create or update sets: a duration of at least a minute (Inactive) or ten minutes (Closed);
 * a zero duration (`PT0S`) clears the timer. Timers the input leaves out are undefined.
 */
export function timersFrom(input: Partial<Record<TimerRule['parameter'], string>>): Partial<Timers> {
  const timers: Partial<Timers> = {};
  for (const [key, rule] of Object.entries(TIMER_RULES) as [keyof Timers, TimerRule][]) {
    const value = input[rule.parameter];
    if (value === undefined) continue;
    const ms = parseDuration(value);
    if (ms === undefined) {
      throw new TwilioError(400, rule.formatCode, `${rule.parameter} must be an ISO 8601 duration, not ${value}`);
    }
    if (ms > 0 && ms < rule.minimumMs) {
      throw new TwilioError(
        400,
        rule.minimumCode,
        `${rule.parameter} must be at least ${rule.minimumMs / MINUTE_MS} minute${rule.minimumMs > MINUTE_MS ? 's' : ''}`,
      );
    }
    timers[key] = ms || null;
  }
  return timers;
}
