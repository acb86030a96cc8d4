/**
 * The Twilio API side of the emulator. Every request goes through the same steps: added latency, basic auth,
 * matching against Twilio's spec and parameter validation (problems kept as violations), injected faults,
 * then the product's handler; each is logged with its outcome.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { notFound, TwilioError } from './errors';
import type { ApiHandler, ApiResult, ApiRoute, Product } from './product';
import { type HttpMethod, RouteTable } from './router';
import { findOperation } from './specs';
import type { Store } from './store';
import { type Problem, validateParameters } from './validation';

export interface IncomingApiRequest {
  method: string;
  /** The Twilio host label: `api` for api.twilio.com. */
  sub: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface ProductRoutes {
  product: Product;
  /** Routes of spec operations, by `METHOD template` exactly as in the spec. */
  bySpec: Map<string, ApiRoute>;
  outsideSpec: RouteTable<ApiHandler>;
}

type Resolution =
  | { kind: 'not-found'; problems: Problem[] }
  | { kind: 'method-not-allowed'; problems: Problem[] }
  | {
      kind: 'found';
      handler?: ApiHandler;
      params: Record<string, string>;
      input: Record<string, unknown>;
      problems: Problem[];
    };

export class TwilioApi {
  private readonly products = new Map<string, ProductRoutes>();

  constructor(
    private readonly store: Store,
    products: readonly Product[],
  ) {
    for (const product of products) this.products.set(product.sub, indexRoutes(product));
  }

  async handle(req: IncomingApiRequest): Promise<ApiResult> {
    const started = performance.now();
    const target = `/${req.sub}${req.path}`;
    let result: ApiResult;
    let code: number | undefined;
    try {
      await delay(this.store.latencyFor(target));
      result = await this.dispatch(req, target);
    } catch (error) {
      const twilioError = error instanceof TwilioError ? error : internalError(error);
      result = { status: twilioError.status, json: twilioError };
      code = twilioError.code;
    }
    this.store.requests.push({
      method: req.method,
      sub: req.sub,
      path: req.path,
      status: result.status,
      ...(code !== undefined && { code }),
      durationMs: Math.round(performance.now() - started),
      at: this.store.timestamp(),
    });
    return result;
  }

  private async dispatch(req: IncomingApiRequest, target: string): Promise<ApiResult> {
    this.authenticate(req.headers.authorization);
    const routes = this.products.get(req.sub);
    const resolution = this.resolve(routes, req);
    const { problems } = resolution;
    if (problems.length) {
      const url = target + (req.query.size ? `?${req.query}` : '');
      this.store.violations.push({ method: req.method, url, problems: problems.map((p) => p.message) });
    }

    // An injected fault answers whatever the request, so a test of a failure path needs no particular one.
    const fault = this.store.takeFault(req.method, target);
    if (fault) await delay(fault.delayMs);
    if (fault?.status !== undefined) throw new TwilioError(fault.status, fault.code, fault.message);

    if (resolution.kind === 'not-found') throw notFound(req.path);
    if (resolution.kind === 'method-not-allowed') throw new TwilioError(405, 20004, 'Method not allowed');
    if (problems.length) {
      const code = routes?.product.problemCodes?.[problems[0].kind] ?? 20001;
      throw new TwilioError(400, code, problems.map((p) => p.message).join('; '));
    }
    const { params, input, handler } = resolution;
    if (params.AccountSid !== undefined && params.AccountSid !== this.store.account.sid) throw notFound(req.path);
    if (!handler) {
      throw new TwilioError(404, 20404, `${req.method} ${req.path} is in Twilio's API but not emulated`);
    }
    const { method, path, query, headers, body } = req;
    return handler({ method: method as HttpMethod, path, params, query, input, headers, body });
  }

  private authenticate(authorization: string | undefined): void {
    const [scheme, encoded] = (authorization ?? '').split(' ');
    const credentials = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString() : '';
    const { sid, authToken } = this.store.account;
    if (credentials !== `${sid}:${authToken}`) throw new TwilioError(401, 20003, 'Authenticate');
  }

  /** Finds the spec operation and the product's handler for it, or a route the spec does not cover. */
  private resolve(routes: ProductRoutes | undefined, req: IncomingApiRequest): Resolution {
    const spec = findOperation(req.sub, req.method, req.path);
    if (spec.kind === 'found') {
      const op = spec.handler;
      const route = routes?.bySpec.get(`${op.method} ${op.template}`);
      const form = isForm(req.headers) ? new URLSearchParams(req.body.toString()) : new URLSearchParams();
      for (const name of route?.ignoredParameters ?? []) form.delete(name);
      const { input, problems } = validateParameters(op, { query: req.query, form });
      return {
        kind: 'found',
        handler: route?.handler,
        params: spec.params,
        input,
        problems,
      };
    }
    const own = routes?.outsideSpec.match(req.method, req.path);
    if (own?.kind === 'found') {
      const input = Object.fromEntries(req.query);
      return { kind: 'found', handler: own.handler, params: own.params, input, problems: [] };
    }
    const kind =
      spec.kind === 'method-not-allowed' || own?.kind === 'method-not-allowed' ? 'method-not-allowed' : 'not-found';
    const problem =
      kind === 'not-found'
        ? `https://${req.sub}.twilio.com${req.path} is not in Twilio's API`
        : `${req.method} is not allowed on https://${req.sub}.twilio.com${req.path}`;
    return { kind, problems: [{ kind: 'parameter', message: problem }] };
  }
}

function indexRoutes(product: Product): ProductRoutes {
  const bySpec = new Map<string, ApiRoute>();
  for (const route of product.routes) {
    if (route.outsideSpec) continue;
    const spec = findOperation(product.sub, route.method, route.path);
    if (spec.kind !== 'found' || spec.handler.template !== route.path) {
      throw new Error(`${route.method} https://${product.sub}.twilio.com${route.path} is not in Twilio's spec`);
    }
    bySpec.set(`${route.method} ${route.path}`, route);
  }
  return { product, bySpec, outsideSpec: new RouteTable(product.routes.filter((route) => route.outsideSpec)) };
}

function isForm(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function internalError(error: unknown): TwilioError {
  console.error('emulator: handler failed', error);
  return new TwilioError(500, 20500, `Internal Server Error: ${(error as Error).message}`);
}
