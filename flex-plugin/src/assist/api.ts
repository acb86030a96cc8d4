/**
 * The plugin's side of /flex/assist: what the function answers, and the two calls. The rep's Flex token goes
 * in the body as `Token`, as Twilio's twilio-flex-token-validator expects it. Form-encoded with no custom header,
 * each call is a CORS "simple request": the browser sends it without a preflight, and reads the answer only
 * when it allows the Flex UI's origin. Any failure (network, an answer other than 2xx, a body that is not what
 * the function sends) rejects: the panel shows it quietly.
 */

// The wire shape of /flex/assist's answer (assets/assist/assist.private.ts), restated: this package is built
// without the functions' runtime types, so it cannot import them.

export interface Suggestion {
  topic: string;
  answer: string;
  /** The AI would have answered the question with this topic itself. */
  confident: boolean;
}

export interface Suggestions {
  question: string | null;
  questionId: string | null;
  suggestions: Suggestion[];
  /** The knowledge base's headings, for "this answered it". */
  topics: string[];
  /** The deployment has an LLM: a drafted reply can be asked for. */
  drafts: boolean;
}

export interface Draft {
  /** The question it answers. */
  questionId: string | null;
  draft?: string;
}

export interface Lesson {
  question: string;
  /** An existing heading; null for a new topic, whose draft answer is then the rep's reply. */
  topic: string | null;
  draftAnswer?: string;
}

export interface AssistClient {
  suggest(taskSid: string, signal?: AbortSignal): Promise<Suggestions>;
  /** An LLM's reply to the question, slower than the suggestions: asked for beside them. */
  draft(taskSid: string, signal?: AbortSignal): Promise<Draft>;
  teach(taskSid: string, lesson: Lesson): Promise<void>;
}

export interface AssistClientOptions {
  /** The function's URL, e.g. https://flex-sms-handoff-1234-dev.twil.io/flex/assist. */
  url: string;
  /** The rep's current Flex token (it is refreshed while Flex runs: read at each call). */
  token: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

export function createAssistClient({ url, token, fetch: fetchFn = fetch }: AssistClientOptions): AssistClient {
  async function call(fields: Record<string, string | null | undefined>, signal?: AbortSignal): Promise<unknown> {
    const body = new URLSearchParams();
    // A new topic (null) is an empty topic field; an absent draft answer is no field.
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.set(name, value ?? '');
    body.set('Token', (await token()) ?? '');
    const response = await fetchFn(url, { method: 'POST', body, signal });
    if (!response.ok) throw new Error(`/flex/assist answered ${response.status}`);
    return response.json();
  }
  return {
    async suggest(taskSid, signal) {
      const answer = (await call({ action: 'suggest', taskSid }, signal)) as Suggestions;
      if (!Array.isArray(answer?.suggestions) || !Array.isArray(answer.topics)) {
        throw new Error('/flex/assist answered no suggestions');
      }
      return answer;
    },
    async draft(taskSid, signal) {
      return (await call({ action: 'draft', taskSid }, signal)) as Draft;
    },
    async teach(taskSid, lesson) {
      await call({
        action: 'teach',
        taskSid,
        question: lesson.question,
        topic: lesson.topic,
        draftAnswer: lesson.draftAnswer,
      });
    },
  };
}
