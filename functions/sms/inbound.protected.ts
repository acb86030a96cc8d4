/**
 * Messaging webhook of the Twilio number: the AI answers with TwiML while the session is the AI's; when it
 * decides a person should take over, the Flex handoff runs before the answer goes out.
 */
import type * as Http from '../../assets/edge/http.private';
import type * as Signature from '../../assets/edge/twilio-signature.private';
import type * as Messaging from '../../assets/edge/messaging-webhook.private';
import type * as DepsModule from '../../assets/runtime/deps.private';
import type * as Inbound from '../../assets/session/inbound-sms.private';
import type * as Handoff from '../../assets/handoff/handoff.private';
import type * as Provider from '../../assets/ai/provider.private';
import type * as LoadModule from '../../assets/runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { withErrorHandling } = load<typeof Http>('/edge/http.js');
const { assertSignedByTwilio, webhookParams } = load<typeof Signature>('/edge/twilio-signature.js');
const { parseInboundSms, messagingResponse } = load<typeof Messaging>('/edge/messaging-webhook.js');
const { withDeps } = load<typeof DepsModule>('/runtime/deps.js');
const { handleInboundSms } = load<typeof Inbound>('/session/inbound-sms.js');
const { completeHandoff, handoffFailureText, HANDOFF_TIME_BUDGET_MS, postLateTexts } =
  load<typeof Handoff>('/handoff/handoff.js');
const { createEngine } = load<typeof Provider>('/ai/provider.js');

/** Said when something unexpected failed (Twilio unreachable, say): a contact is never left without an answer. */
const APOLOGY = 'Sorry, something went wrong on our side. Please text us again in a minute.';

export const handler = withErrorHandling<Record<string, string>>(
  'sms/inbound',
  async (context, event) => {
    const deadline = Date.now() + HANDOFF_TIME_BUDGET_MS;
    assertSignedByTwilio(context, event);
    const sms = parseInboundSms(webhookParams(event));
    return withDeps(context, 'sms/inbound', async (deps) => {
      const outcome = await handleInboundSms({ ...deps, engine: createEngine(deps.config) }, sms);
      if (outcome.lateText) await postLateTexts(deps, sms.from, deadline, outcome.claim);
      if (!outcome.handoffPending) return messagingResponse(outcome.reply);

      const handoff = await completeHandoff(deps, sms.from, deadline, outcome.claim);
      if (handoff.status === 'retry_later' || handoff.status === 'abandoned') {
        return messagingResponse(handoffFailureText(handoff.status, outcome.language ?? 'en'));
      }
      return messagingResponse(outcome.reply);
    });
  },
  { onUnexpected: () => messagingResponse(APOLOGY) },
);
