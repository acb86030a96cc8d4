/**
 * Messaging webhook of the Twilio number: the AI answers with TwiML while the session is the AI's; when it
 * decides a person should take over, the Flex handoff runs before the answer goes out.
 */
import type * as Http from '../../assets/edge/http.private';
import type * as Webhook from '../../assets/edge/twilio-signature.private';
import type * as Messaging from '../../assets/edge/messaging-webhook.private';
import type * as App from '../../assets/runtime/deps.private';
import type * as Inbound from '../../assets/session/inbound-sms.private';
import type * as Handoff from '../../assets/handoff/handoff.private';
import type * as Provider from '../../assets/ai/provider.private';

const assets = Runtime.getAssets();
const { withErrorHandling } = require(assets['/edge/http.js'].path) as typeof Http;
const { assertSignedByTwilio, webhookParams } = require(assets['/edge/twilio-signature.js'].path) as typeof Webhook;
const { parseInboundSms, messagingResponse } = require(assets['/edge/messaging-webhook.js'].path) as typeof Messaging;
const { createApp } = require(assets['/runtime/deps.js'].path) as typeof App;
const { handleInboundSms } = require(assets['/session/inbound-sms.js'].path) as typeof Inbound;
const { completeHandoff, handoffFailureText, HANDOFF_TIME_BUDGET_MS } = require(
  assets['/handoff/handoff.js'].path,
) as typeof Handoff;
const { createEngine } = require(assets['/ai/provider.js'].path) as typeof Provider;

/** Said when something unexpected failed (Twilio unreachable, say): a contact is never left without an answer. */
const APOLOGY = 'Sorry, something went wrong on our side. Please text us again in a minute.';

export const handler = withErrorHandling<Record<string, string>>(
  'sms/inbound',
  async (context, event) => {
    const deadline = Date.now() + HANDOFF_TIME_BUDGET_MS;
    assertSignedByTwilio(context, event);
    const sms = parseInboundSms(webhookParams(event));
    const app = createApp(context, 'sms/inbound');
    const outcome = await handleInboundSms({ ...app, engine: createEngine(app.config) }, sms);
    if (!outcome.handoffPending) return messagingResponse(outcome.reply);

    const handoff = await completeHandoff(app, sms.from, deadline);
    if (handoff.status === 'retry_later' || handoff.status === 'abandoned') {
      return messagingResponse(handoffFailureText(handoff.status, outcome.language ?? 'en'));
    }
    return messagingResponse(outcome.reply);
  },
  { onUnexpected: () => messagingResponse(APOLOGY) },
);
