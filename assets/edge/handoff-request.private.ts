/**
 * /flex/handoff at the edge: who may call it (Twilio, signed, or an outside system with the API key) and what
 * it takes, named as in Twilio's own webhooks.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type { CustomData, Sentiment } from '../session/model.private';
import type * as Http from './http.private';
import type * as Phone from './phone.private';
import type * as Signature from './twilio-signature.private';
import type * as Attributes from '../handoff/task-attributes.private';
import type * as SessionModel from '../session/model.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { HttpError } = load<typeof Http>('/edge/http.js');
const { phoneNumberParam: phoneNumber } = load<typeof Phone>('/edge/phone.js');
const { assertSignedByTwilio, header } = load<typeof Signature>('/edge/twilio-signature.js');
const { isCustomDataKey } = load<typeof Attributes>('/handoff/task-attributes.js');
const { SENTIMENTS } = load<typeof SessionModel>('/session/model.js');

export interface HandoffRequest {
  from: string;
  to?: string;
  reason: string;
  summary?: string;
  sentiment?: Sentiment;
  language?: string;
  customData: CustomData;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** 401 without credentials, 403 with wrong ones; Twilio-signed requests must be for our account. */
export function authorizeHandoffCaller(
  context: Context<{ HANDOFF_API_KEY?: string; ACCOUNT_SID?: string; AUTH_TOKEN?: string }>,
  event: Http.Event,
): void {
  const authorization = header(event, 'authorization');
  if (authorization) {
    const [scheme, key] = authorization.split(' ', 2);
    if (scheme !== 'Bearer' || !key) throw new HttpError(401, 'Authorization must be "Bearer <HANDOFF_API_KEY>"');
    if (!context.HANDOFF_API_KEY || !safeEqual(key, context.HANDOFF_API_KEY)) {
      throw new HttpError(403, 'Invalid API key');
    }
    return;
  }
  if (!header(event, 'x-twilio-signature')) {
    throw new HttpError(401, 'Send "Authorization: Bearer <HANDOFF_API_KEY>", or a request signed by Twilio');
  }
  assertSignedByTwilio(context, event);
}

const bcp47 = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 'must be a BCP-47 language tag such as en or es-MX');

const customData = z
  .string()
  .optional()
  .transform((raw, ctx): CustomData => {
    if (raw === undefined || raw.trim() === '') return {};
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return {};
    }
    const parsed = z.record(z.string(), z.union([z.string().max(1000), z.number(), z.boolean()])).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `${issue.path.join('.')} ${issue.message}` });
      return {};
    }
    for (const key of Object.keys(parsed.data).filter((key) => !isCustomDataKey(key))) {
      ctx.addIssue({ code: 'custom', message: `key "${key}" must start with flex_` });
    }
    return parsed.data;
  });

const HandoffParams = z.looseObject({
  From: phoneNumber,
  To: phoneNumber.optional(),
  reason: z.string().trim().min(1, 'is required').max(200),
  summary: z.string().trim().max(1000).optional(),
  sentiment: z.enum(SENTIMENTS).optional(),
  language: bcp47.optional(),
  customData,
});

export function parseHandoffRequest(params: Record<string, string>): HandoffRequest {
  const parsed = HandoffParams.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'} ${issue.message}`);
    throw new HttpError(400, 'Invalid handoff request', problems);
  }
  const { From, To, reason, summary, sentiment, language, customData: data } = parsed.data;
  return { from: From, to: To, reason, summary, sentiment, language, customData: data };
}
