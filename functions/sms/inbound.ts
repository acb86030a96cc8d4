/**
 * Messaging webhook of the Twilio number: the AI answers with TwiML while the session is the AI's; when it
 * decides a person should take over, the Flex handoff runs before the answer goes out.
 */
import type * as Http from '../../assets/http.private';
import type * as Webhook from '../../assets/twilio-webhook.private';
import type * as Messaging from '../../assets/messaging-webhook.private';
import type * as App from '../../assets/app.private';
import type * as Inbound from '../../assets/inbound-sms.private';
import type * as Handoff from '../../assets/flex-handoff.private';
import type * as Provider from '../../assets/ai/provider.private';

const assets = Runtime.getAssets();
const { withErrorHandling } = require(assets['/http.js'].path) as typeof Http;
const { assertSignedByTwilio, webhookParams } = require(assets['/twilio-webhook.js'].path) as typeof Webhook;
const { parseInboundSms, messagingResponse } = require(assets['/messaging-webhook.js'].path) as typeof Messaging;
const { createApp } = require(assets['/app.js'].path) as typeof App;
const { handleInboundSms } = require(assets['/inbound-sms.js'].path) as typeof Inbound;
const { completeHandoff, handoffFailureText, HANDOFF_TIME_BUDGET_MS } = require(
  assets['/flex-handoff.js'].path,
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
