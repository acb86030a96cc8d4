/**
 * /flex/assist at the edge: the Flex plugin calls it from the rep's browser, so it answers CORS for the Flex UI's
 * origin only, takes the rep's Flex user token (checked with Twilio, as twilio-flex-token-validator does), and
 * what it takes: an action on one task.
 */
import { z } from 'zod';
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type * as Http from './http.private';
import type * as Signature from './twilio-signature.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { HttpError } = load<typeof Http>('/edge/http.js');
const { header } = load<typeof Signature>('/edge/twilio-signature.js');
const { FlexTokenRejected, validateFlexToken } = load<typeof Gateway>('/twilio/gateway.js');

/** Where Flex UI runs, and so every plugin in it: the one origin whose pages may call this function. */
export const FLEX_UI_ORIGIN = 'https://flex.twilio.com';

/**
 * The CORS header of every answer: a browser lets the Flex UI read it, and no other page. A browser's preflight
 * (OPTIONS) is answered by the runtime before any function code runs (twilio-run answers it permissively): it
 * only lets the browser send the POST, whose answer the page then reads only with this header, and which
 * assertFlexOrigin refuses before any work when it comes from another page.
 */
export function corsHeaders(event: Http.Event): Record<string, string> {
  if (header(event, 'origin') !== FLEX_UI_ORIGIN) return { Vary: 'Origin' };
  return { 'Access-Control-Allow-Origin': FLEX_UI_ORIGIN, Vary: 'Origin' };
}

/**
 * Refuses a request a browser sent from another page than Flex's: without the CORS headers the browser would not
 * show that page the answer, and this way nothing is done for it either. Callers outside a browser send no
 * Origin; the token still decides for them.
 */
export function assertFlexOrigin(event: Http.Event): void {
  const origin = header(event, 'origin');
  if (origin !== undefined && origin !== FLEX_UI_ORIGIN) {
    throw new HttpError(403, `Only Flex (${FLEX_UI_ORIGIN}) may call /flex/assist from a browser, not ${origin}`);
  }
}

const TASK_SID = z.string().regex(/^WT[0-9a-f]{32}$/, 'must be a WT… task SID');
const TEXT = z.string().trim().min(1).max(1600);

const AssistRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('suggest'), taskSid: TASK_SID }),
  z.object({ action: z.literal('draft'), taskSid: TASK_SID }),
  z
    .object({
      action: z.literal('teach'),
      taskSid: TASK_SID,
      /** The contact's question the rep's reply answered. */
      question: TEXT,
      /** An existing topic's heading; empty or absent: a new topic. */
      topic: z
        .string()
        .trim()
        .max(200)
        .nullish()
        .transform((topic) => topic || null),
      /** The rep's reply: a new topic's draft answer. */
      draftAnswer: TEXT.optional(),
    })
    .refine((lesson) => lesson.topic !== null || lesson.draftAnswer !== undefined, {
      path: ['draftAnswer'],
      message: 'is required for a new topic (topic empty): the reply that answered the question',
    }),
]);

export type AssistRequest = z.infer<typeof AssistRequestSchema>;

/** The action and its fields, or 400 naming what is wrong. */
export function parseAssistRequest(params: Record<string, unknown>): AssistRequest {
  const parsed = AssistRequestSchema.safeParse(params);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), problem: issue.message }));
  throw new HttpError(
    400,
    'Invalid /flex/assist request: action must be suggest, draft or teach, with a taskSid',
    details,
  );
}

/** The Flex user the token is: 401 without one, 403 for one Twilio refuses or a user who takes no tasks. */
export async function authenticateFlexUser(
  context: Context<{ ACCOUNT_SID?: string; AUTH_TOKEN?: string; TWILIO_API_BASE_URL?: string }>,
  token: unknown,
): Promise<{ identity: string; workerSid: string }> {
  if (typeof token !== 'string' || token === '') {
    throw new HttpError(401, "Send the rep's Flex token as Token (the Flex Manager's user token)");
  }
  let user: Gateway.FlexTokenResult;
  try {
    user = await validateFlexToken(context, token);
  } catch (error) {
    if (error instanceof FlexTokenRejected) throw new HttpError(403, `Flex token refused: ${error.message}`);
    throw new HttpError(503, 'Could not check the Flex token with Twilio; retry', { cause: String(error) });
  }
  if (!user.workerSid) throw new HttpError(403, `Flex user ${user.identity} is not a TaskRouter worker`);
  return { identity: user.identity, workerSid: user.workerSid };
}
