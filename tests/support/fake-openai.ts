/**
 * A fake OpenAI-compatible server for tests: real HTTP on 127.0.0.1 (a free port), answering
 * `POST …/chat/completions` (any prefix, so `/v1/…` and Azure's `/openai/deployments/<name>/…` both work) with
 * scripted responses, one per request, in order, and recording every request it gets.
 *
 *   const fake = await startFakeOpenAi();
 *   fake.script([{ toolCalls: [{ name: 'handoff_to_human', arguments: { reason: 'frustrated', … } }] }]);
 *   // OPENAI_BASE_URL=fake.url, e.g. in the env twilio-run serves the functions with
 *   …
 *   expect(fake.requests[0].body.messages[0].content).toContain('Opening hours');
 *   await fake.close();
 *
 * A response may be a function of the request (to echo the system prompt back, say). When the script runs
 * out, the fallback given to startFakeOpenAi answers, by default a 500 naming the problem.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

export interface FakeToolCall {
  name: string;
  /** An object is sent as JSON text, as OpenAI does; a string is sent as is (to send malformed JSON). */
  arguments: unknown;
}

export interface FakeCompletion {
  /** The assistant's text; absent or null for tool calls alone. */
  content?: string | null;
  toolCalls?: FakeToolCall[];
  delayMs?: number;
}

export interface FakeError {
  /** The HTTP status, e.g. 429 or 500, sent with an OpenAI-style error body. */
  status: number;
  message?: string;
  delayMs?: number;
}

export interface FakeRawBody {
  /** Sent as is with status 200, e.g. invalid JSON. */
  raw: string;
  contentType?: string;
  delayMs?: number;
}

export type FakeReply = FakeCompletion | FakeError | FakeRawBody;
export type FakeResponse = FakeReply | ((request: FakeRequest) => FakeReply);

/** A chat message's text, whether sent as a string or as text parts. */
export function textOf(message: ChatCompletionMessageParam): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => ('text' in part ? part.text : '')).join('');
}

export interface FakeRequest {
  method: string;
  /** The path with its query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingMessage['headers'];
  body: ChatCompletionCreateParamsNonStreaming;
  /** performance.now() when the request had arrived in full, and when its answer was sent. */
  receivedAt: number;
  answeredAt?: number;
}

export interface FakeOpenAi {
  /** The API base URL to configure (OPENAI_BASE_URL), e.g. http://127.0.0.1:53211/v1. */
  url: string;
  /** Every request received, oldest first. */
  requests: FakeRequest[];
  /** Replaces the responses still to come. */
  script(responses: FakeResponse[]): void;
  /** Forgets the requests received so far. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** The answer when the script has run out. */
  fallback?: FakeResponse;
}

const SCRIPT_EXHAUSTED: FakeError = { status: 500, message: 'fake-openai: no scripted response left' };

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: FakeRequest[] = [];
  let queue: FakeResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    if (req.method !== 'POST' || !/\/chat\/completions(\?|$)/.test(req.url ?? '')) {
      return send(res, 404, { error: { message: `fake-openai: no route ${req.method} ${req.url}` } });
    }
    const request: FakeRequest = {
      method: req.method,
      path: req.url ?? '',
      headers: req.headers,
      body: JSON.parse(text) as ChatCompletionCreateParamsNonStreaming,
      receivedAt: performance.now(),
    };
    requests.push(request);
    const next = queue.shift() ?? options.fallback ?? SCRIPT_EXHAUSTED;
    const reply = typeof next === 'function' ? next(request) : next;
    const answer = () => {
      // The client may have given up waiting (a timeout test): nothing to answer then.
      if (!res.destroyed) respond(res, reply, request.body.model);
      request.answeredAt = performance.now();
    };
    if (!reply.delayMs) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, reply.delayMs);
    timers.add(timer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 400, { error: { message: `fake-openai: ${error.message}` } }));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(responses) {
      queue = [...responses];
    },
    reset() {
      requests.length = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function respond(res: ServerResponse, reply: FakeReply, model: string): void {
  if ('raw' in reply) {
    res.writeHead(200, { 'Content-Type': reply.contentType ?? 'application/json' });
    res.end(reply.raw);
  } else if ('status' in reply) {
    const message = reply.message ?? `fake-openai: status ${reply.status}`;
    send(res, reply.status, { error: { message, type: 'fake' } });
  } else {
    send(res, 200, completion(reply, model));
  }
}

let completions = 0;

/** A chat completion as OpenAI shapes it. */
function completion({ content = null, toolCalls = [] }: FakeCompletion, model: string) {
  completions += 1;
  const tool_calls = toolCalls.map((call, index) => ({
    id: `call_${completions}_${index}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  return {
    id: `chatcmpl-fake-${completions}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, ...(tool_calls.length > 0 && { tool_calls }) },
        finish_reason: tool_calls.length > 0 ? 'tool_calls' : 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
