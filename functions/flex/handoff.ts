/**
 * Hands a contact to a person on request: from Twilio (signed) or an outside system (bearer API key). Answers
 * the conversation and interaction of the session's handoff, the same ids again when it is already done.
 */
import type * as Http from '../../assets/edge/http.private';
import type * as Signature from '../../assets/edge/twilio-signature.private';
import type * as HandoffRequestModule from '../../assets/edge/handoff-request.private';
import type * as DepsModule from '../../assets/runtime/deps.private';
import type * as Handoff from '../../assets/handoff/handoff.private';
import type * as LoadModule from '../../assets/runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { withErrorHandling, jsonResponse, HttpError } = load<typeof Http>('/edge/http.js');
const { webhookParams } = load<typeof Signature>('/edge/twilio-signature.js');
const { authorizeHandoffCaller, parseHandoffRequest } = load<typeof HandoffRequestModule>('/edge/handoff-request.js');
const { withDeps } = load<typeof DepsModule>('/runtime/deps.js');
const { requestHandoff, completeHandoff, HANDOFF_TIME_BUDGET_MS } = load<typeof Handoff>('/handoff/handoff.js');

/** How often to look again while another request runs the handoff. */
const POLL_MS = 400;

export const handler = withErrorHandling<Record<string, string>>('flex/handoff', async (context, event) => {
  const deadline = Date.now() + HANDOFF_TIME_BUDGET_MS;
  authorizeHandoffCaller(context, event);
  const request = parseHandoffRequest(webhookParams(event));
  return withDeps(context, 'flex/handoff', (deps) => handOff(deps, request, deadline));
});

async function handOff(deps: DepsModule.Deps, request: HandoffRequestModule.HandoffRequest, deadline: number) {
  const requested = await requestHandoff(deps, request);
  if (requested.status === 'no_session') throw new HttpError(404, 'From has no open session');

  let outcome = await completeHandoff(deps, request.from, deadline, requested.claim);
  while (outcome.status === 'in_progress' && Date.now() + POLL_MS < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    outcome = await completeHandoff(deps, request.from, deadline);
  }
  switch (outcome.status) {
    case 'handed_off':
      return jsonResponse(200, { conversationSid: outcome.conversationSid, interactionSid: outcome.interactionSid });
    case 'in_progress':
      throw new HttpError(503, 'The handoff is still being created; retry in a few seconds');
    case 'retry_later':
      throw new HttpError(502, `Twilio failed during the handoff; retry: ${outcome.error}`);
    case 'abandoned':
      throw new HttpError(409, `The handoff cannot be done: ${outcome.error}`);
    case 'not_pending':
      throw new HttpError(409, 'The session went back to the AI or closed while the handoff was requested');
  }
}
