/**
 * Flex's users and their tokens (iam.twilio.com), which Twilio's OpenAPI documents do not describe. A Flex
 * plugin calls a Function with the logged-in user's Flex token; the Function checks it the way Twilio's
 * `twilio-flex-token-validator` package does: `POST https://iam.twilio.com/v1/Accounts/{AccountSid}/Tokens/validate`
 * with the account's basic auth and the JSON body `{"token": "…"}`, whose answer's `valid` decides and whose
 * `message` says why not. The emulator issues tokens for its workers (`POST /__emulator/flex/tokens`), signed
 * with a secret of its own and bound to the account and an expiry, and answers the validation as the package and
 * Twilio's docs show: `{valid: true, code: 0, message: null, expiration, realm_user_id, identity, roles,
 * worker_sid}`, or `{valid: false, code, message}` with Twilio's Access Token error codes (20101 invalid,
 * 20103 another account's, 20104 expired).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ControlError, parseBody } from '../control';
import { TwilioError } from '../errors';
import type { ApiRequest, ApiResult, ApiRoute, ControlHandler, Product } from '../product';
import type { Route } from '../router';
import { newSid } from '../sid';
import type { Store } from '../store';
import type { TaskRouter } from './taskrouter/engine';
import { parseObject, type Worker, workerIdentity } from './taskrouter/model';

const SUB = 'iam';
/** What Flex gives a user's session; Twilio caps Access Tokens at 24 hours. */
const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 86_400;

/** What a token carries: enough to answer a validation without keeping tokens. */
interface TokenClaims {
  sub: string;
  identity: string;
  realm_user_id: string;
  worker_sid: string;
  roles: string[];
  iat: number;
  exp: number;
  jti: string;
}

const TokenBody = z.object({
  /** A worker of the Flex workspace; Alice Rep when absent. */
  workerSid: z.string().optional(),
  roles: z.array(z.string()).default(['agent']),
  /** Seconds until it expires; 0 or less makes a token that has already expired. */
  ttlSeconds: z.number().int().max(MAX_TTL_SECONDS).default(DEFAULT_TTL_SECONDS),
  /** Another account's token (what a user of another Flex account would hold). */
  accountSid: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/)
    .optional(),
});

const WorkerBody = z.object({ friendlyName: z.string().min(1), identity: z.string().min(1) });

const ValidateBody = z.object({ token: z.string() });

const INVALID = { code: 20101, message: 'Invalid Access Token' };
const OTHER_ACCOUNT = { code: 20103, message: 'Invalid Access Token issuer/subject' };
const EXPIRED = { code: 20104, message: 'Access Token expired or expiration date invalid' };

export class IamProduct implements Product {
  readonly sub = SUB;
  /** Signs this emulator's tokens: a token from another emulator run is invalid here, as a forged one is. */
  private readonly secret = randomBytes(32);

  readonly routes: ApiRoute[] = [
    {
      method: 'POST',
      path: '/v1/Accounts/{AccountSid}/Tokens/validate',
      handler: (req) => this.validate(req),
      outsideSpec: true,
    },
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    { method: 'POST', path: '/__emulator/flex/tokens', handler: ({ body }) => this.issue(parseBody(TokenBody, body)) },
    {
      method: 'POST',
      path: '/__emulator/flex/workers',
      handler: ({ body }) => this.addWorker(parseBody(WorkerBody, body)),
    },
  ];

  constructor(
    private readonly store: Store,
    private readonly taskRouter: TaskRouter,
  ) {}

  reset(): void {}

  private now(): number {
    return this.store.clock.now();
  }

  /** A token for a worker of the Flex workspace, as Flex gives the user it logs in. */
  private issue({ workerSid, roles, ttlSeconds, accountSid }: z.infer<typeof TokenBody>) {
    const worker = this.worker(workerSid ?? this.taskRouter.sids.worker);
    const identity = workerIdentity(worker);
    const email = (parseObject(worker.attributes) as { email?: unknown }).email;
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = {
      sub: accountSid ?? this.store.account.sid,
      identity,
      realm_user_id: typeof email === 'string' ? email : identity,
      worker_sid: worker.sid,
      roles,
      iat,
      exp: iat + ttlSeconds,
      jti: newSid('TK'),
    };
    const token = this.sign(claims);
    const expiration = new Date(claims.exp * 1000).toISOString();
    return { status: 201, json: { token, identity, workerSid: worker.sid, expiration } };
  }

  /** Another rep in the Flex workspace, available. */
  private addWorker({ friendlyName, identity }: z.infer<typeof WorkerBody>) {
    const workspace = this.taskRouter.flexWorkspace;
    const alice = workspace.workers.get(this.taskRouter.sids.worker)!;
    const now = this.now();
    const worker: Worker = {
      ...alice,
      sid: newSid('WK'),
      friendlyName,
      attributes: JSON.stringify({ contact_uri: `client:${identity}`, full_name: friendlyName }),
      createdAt: now,
      updatedAt: now,
      statusChangedAt: now,
    };
    workspace.workers.set(worker.sid, worker);
    return { status: 201, json: { workerSid: worker.sid, identity } };
  }

  private worker(sid: string): Worker {
    const worker = this.taskRouter.flexWorkspace.workers.get(sid);
    if (!worker) throw new ControlError(404, `No worker ${sid} in the Flex workspace`);
    return worker;
  }

  private validate(req: ApiRequest): ApiResult {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString() || '{}');
    } catch {
      throw new TwilioError(400, 20001, 'The body must be JSON: {"token": "…"}');
    }
    const parsed = ValidateBody.safeParse(body);
    if (!parsed.success) throw new TwilioError(400, 20001, 'Missing token');
    const claims = this.verify(parsed.data.token);
    if (!claims) return invalid(INVALID);
    if (claims.sub !== req.params.AccountSid) return invalid(OTHER_ACCOUNT);
    if (claims.exp * 1000 <= this.now()) return invalid(EXPIRED);
    return {
      status: 200,
      json: {
        valid: true,
        code: 0,
        message: null,
        expiration: new Date(claims.exp * 1000).toISOString(),
        realm_user_id: claims.realm_user_id,
        identity: claims.identity,
        roles: claims.roles,
        worker_sid: claims.worker_sid,
      },
    };
  }

  private sign(claims: TokenClaims): string {
    const header = encode({ alg: 'HS256', typ: 'JWT', cty: 'flex-emulator;v=1' });
    const payload = encode(claims);
    return `${header}.${payload}.${this.signature(`${header}.${payload}`)}`;
  }

  /** The token's claims when this emulator signed it, whatever they say; undefined for anything else. */
  private verify(token: string): TokenClaims | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return undefined;
    const expected = Buffer.from(this.signature(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString()) as TokenClaims;
    } catch {
      return undefined;
    }
  }

  private signature(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Twilio answers a token it refuses with 200 and `valid: false`: the validator package reads only the body. */
function invalid(reason: { code: number; message: string }): ApiResult {
  return {
    status: 200,
    json: {
      valid: false,
      ...reason,
      expiration: null,
      realm_user_id: null,
      identity: null,
      roles: null,
      worker_sid: null,
    },
  };
}
