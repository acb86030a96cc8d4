/**
 * Rep assist for the Flex plugin: `suggest` answers the knowledge base's best answers for the contact's question
 * on the rep's handed-off task, `draft` an LLM's drafted reply to it, and `teach` keeps the rep's "this answered
 * it" as a pending knowledge-base suggestion. Only a valid Flex user token, only the Flex UI's origin, only a task
 * of ours the rep holds; a rejected request writes nothing.
 */
import type * as Http from '../../assets/edge/http.private';
import type * as AssistRequestModule from '../../assets/edge/assist-request.private';
import type * as DepsModule from '../../assets/runtime/deps.private';
import type * as Assist from '../../assets/assist/assist.private';
import type * as LoadModule from '../../assets/runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { withErrorHandling, jsonResponse, HttpError } = load<typeof Http>('/edge/http.js');
const { assertFlexOrigin, authenticateFlexUser, corsHeaders, parseAssistRequest } =
  load<typeof AssistRequestModule>('/edge/assist-request.js');
const { createDeps } = load<typeof DepsModule>('/runtime/deps.js');
const { draft, repTask, suggest, teach } = load<typeof Assist>('/assist/assist.js');

export const handler = withErrorHandling<Record<string, string>>(
  'flex/assist',
  async (context, event) => {
    assertFlexOrigin(event);
    // A JSON body arrives parsed (form fields as strings); the runtime's own `request` is no parameter.
    const { request: _request, Token: token, ...params } = event;
    const user = await authenticateFlexUser(context, token);
    const request = parseAssistRequest(params);
    const deps = createDeps(context, 'flex/assist');
    const access = await repTask(deps, request.taskSid, user.workerSid);
    if (access.status === 'not_found') throw new HttpError(404, `No handed-off task ${request.taskSid}`);
    if (access.status === 'not_yours') {
      throw new HttpError(403, `Task ${request.taskSid} is not reserved by or assigned to ${user.identity}`);
    }
    if (request.action === 'suggest') return jsonResponse(200, await suggest(deps, access.task));
    if (request.action === 'draft') return jsonResponse(200, await draft(deps, access.task));
    const taught = await teach(deps, access.task, request);
    if (taught.status === 'unknown_topic') {
      throw new HttpError(400, `No topic "${request.topic}" in the knowledge base: pick one of its headings`);
    }
    return jsonResponse(201, { key: taught.key, suggestion: taught.suggestion });
  },
  { headers: corsHeaders },
);
