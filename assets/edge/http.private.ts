/**
 * One error shape and one wrapper for every function: handlers throw `HttpError` for anything the caller got
 * wrong and return their answer; the wrapper turns both into a response and logs the unexpected.
 */
import type {
  Context,
  ServerlessCallback,
  ServerlessEventObject,
  TwilioResponse,
} from '@twilio-labs/serverless-runtime-types/types';
import type * as LoggerModule from '../runtime/logger.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { createLogger } = load<typeof LoggerModule>('/runtime/logger.js');

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  500: 'internal_error',
  502: 'upstream_error',
  503: 'unavailable',
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get code(): string {
    return ERROR_CODES[this.status] ?? 'error';
  }
}

export function jsonResponse(status: number, body: unknown): TwilioResponse {
  const response = new Twilio.Response();
  response.setStatusCode(status);
  response.appendHeader('Content-Type', 'application/json');
  response.setBody(body as object);
  return response;
}

/** An acknowledgement with nothing to say (webhooks Twilio only needs a 2xx from). */
export function emptyResponse(status = 204): TwilioResponse {
  const response = new Twilio.Response();
  response.setStatusCode(status);
  return response;
}

/** `{ "error": { "code", "message", "details"? } }` with the HTTP status: the project's one error body. */
export function errorResponse(error: HttpError): TwilioResponse {
  const details = error.details === undefined ? {} : { details: error.details };
  return jsonResponse(error.status, { error: { code: error.code, message: error.message, ...details } });
}

export type Event = ServerlessEventObject<Record<string, unknown>, Record<string, string | string[] | undefined>>;
export type Handler<Env> = (context: Context<Env>, event: Event) => Promise<unknown>;

export interface ErrorHandlingOptions {
  /** The answer to an unexpected failure, instead of a 500 (e.g. a TwiML apology, so a contact is never left unanswered). */
  onUnexpected?: () => unknown;
  /** Headers every answer of the function carries, errors included (CORS: a browser reads neither without them). */
  headers?: (event: Event) => Record<string, string>;
}

export function withErrorHandling<Env>(name: string, handler: Handler<Env>, options: ErrorHandlingOptions = {}) {
  const logger = createLogger(name);
  return async (context: Context<Env>, event: Event, callback: ServerlessCallback): Promise<void> => {
    const respond = (answer: unknown) => {
      const response = answer as Partial<TwilioResponse>;
      if (typeof response?.appendHeader === 'function') {
        for (const [header, value] of Object.entries(options.headers?.(event) ?? {})) {
          response.appendHeader(header, value);
        }
      }
      callback(null, answer as object);
    };
    try {
      respond(await handler(context, event));
    } catch (error) {
      if (error instanceof HttpError) {
        logger.warn(`${error.status} ${error.message}`, error.details ? { details: error.details } : undefined);
        respond(errorResponse(error));
        return;
      }
      logger.error('unexpected failure', { error });
      respond(options.onUnexpected?.() ?? errorResponse(new HttpError(500, 'Internal error; it has been logged.')));
    }
  };
}
