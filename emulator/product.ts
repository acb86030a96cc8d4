/**
 * The contract between the emulator core and a product module, one per Twilio host under `products/`: its API
 * routes, optional control routes, error codes for invalid parameters, and reset. `launch.ts` assembles them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpMethod, Route } from './router';
import type { ProblemKind } from './validation';

export interface ApiRequest {
  readonly method: HttpMethod;
  /** The Twilio path, without the product host: `/v1/Services/IS…/Maps`. */
  readonly path: string;
  /** Path parameters named as in the spec's template, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Query and form parameters, coerced to the types the spec declares (JSON values parsed). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The request's parameters as its operation declares them: validation has checked them against the spec. */
export function inputOf<T>(req: ApiRequest): T {
  return req.input as T;
}

export interface ApiResult {
  status: number;
  json?: unknown;
  /** Raw bytes instead of JSON, sent with the `Content-Type` from `headers`. */
  body?: Buffer;
  headers?: Record<string, string>;
}

export type ApiHandler = (req: ApiRequest) => ApiResult | Promise<ApiResult>;

export interface ApiRoute extends Route<ApiHandler> {
  /** Not in Twilio's OpenAPI documents (raw media bytes, MCS uploads): routed without spec validation. */
  outsideSpec?: true;
  /**
   * Form parameters a real client sends that Twilio accepts although its spec does not declare them: dropped
   * before validation instead of answered 400.
   */
  ignoredParameters?: readonly string[];
}

export interface ControlRequest {
  /** Path parameters named as in the route's template (`/__emulator/conversations/{Sid}/messages`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, undefined without one. */
  readonly body: unknown;
}

export interface ControlResult {
  status: number;
  /** Sent as JSON; none with a 204. */
  json?: unknown;
}

export type ControlHandler = (req: ControlRequest) => ControlResult | Promise<ControlResult>;

export interface Product {
  /** The Twilio host label: `sync` for sync.twilio.com. */
  readonly sub: string;
  readonly routes: readonly ApiRoute[];
  /** Extra `/__emulator/...` routes, e.g. playing an inbound SMS. */
  readonly controlRoutes?: readonly Route<ControlHandler>[];
  /** Twilio error codes this product answers for invalid parameters, instead of 20001. */
  readonly problemCodes?: Partial<Record<ProblemKind, number>>;
  /** Forgets everything but the seeded resources. */
  reset(): void;
}
