/**
 * Emulator-wide state outside the products: the account, the clock, what was observed (requests, violations,
 * webhooks) and what tests injected (faults, latency). Products keep their own resources.
 */
import type { Clock } from './clock';

export interface EmulatorAccount {
  sid: string;
  authToken: string;
}

export interface RequestLogEntry {
  method: string;
  sub: string;
  path: string;
  status: number;
  code?: number;
  durationMs: number;
  at: string;
}

export interface Violation {
  method: string;
  url: string;
  problems: string[];
}

export interface WebhookLogEntry {
  product: string;
  url: string;
  /** The event it carries (`task.created`, `onMessageAdded`); none for a number's incoming-message webhook. */
  eventType?: string;
  /** The form parameters, as signed and sent. */
  params: Record<string, string>;
  /** The JSON body, for a delivery that has one (Event Streams) instead of parameters. */
  json?: unknown;
  /** The receiver's HTTP status; 0 when it could not be reached (then `error` says why). */
  status: number;
  error?: string;
  durationMs: number;
  at: string;
}

export interface FaultSpec {
  method?: string;
  /** A regular expression matched against `/<sub><path>`. */
  path: string;
  /** The error answered; none with `delayMs`: the request is only held, then served (a call that outlasts a budget). */
  status?: number;
  code?: number;
  message?: string;
  /** How many requests it hits; 0 means until the faults are cleared. */
  times?: number;
  /** Matching requests let through first: `after: 2` hits the third one (a given step of a sequence). */
  after?: number;
  /** Holds each request it hits this long before answering. */
  delayMs?: number;
}

/** What a fault does to the request it hits. */
export interface FaultHit {
  status?: number;
  code: number;
  message: string;
  delayMs: number;
}

interface Fault extends FaultHit {
  spec: FaultSpec;
  method?: string;
  path: RegExp;
  skip: number;
  remaining: number;
  hits: number;
}

export class Store {
  readonly requests: RequestLogEntry[] = [];
  readonly violations: Violation[] = [];
  readonly webhooks: WebhookLogEntry[] = [];
  private faults: Fault[] = [];
  private readonly latencyRules = new Map<string, { path: RegExp; ms: number }>();
  /** Host → base URL: where webhooks to `https://<host>/…` really go (a deployment served locally). */
  private readonly hosts = new Map<string, string>();

  constructor(
    readonly account: EmulatorAccount,
    readonly clock: Clock,
    private latencyMs = 0,
  ) {}

  /** Added latency for a request to `/<sub><path>`: the last matching per-path rule, else the global value. */
  latencyFor(target: string): number {
    const rules = [...this.latencyRules.values()].reverse();
    return rules.find((rule) => rule.path.test(target))?.ms ?? this.latencyMs;
  }

  setLatency(ms: number, path?: string): void {
    if (path === undefined) {
      this.latencyMs = ms;
      return;
    }
    this.latencyRules.delete(path); // re-inserted last, so it wins over older overlapping rules
    this.latencyRules.set(path, { path: new RegExp(path), ms });
  }

  /**
   * Webhooks to `https://<host>/…` go to `<url>/…` instead, as if the deployment at that domain (a
   * `*.twil.io` one, say) were the twilio-run at `url`: setup and doctor work with the real domain.
   */
  serveHost(host: string, url: string): void {
    this.hosts.set(host.toLowerCase(), url.replace(/\/+$/, ''));
  }

  clearHosts(): void {
    this.hosts.clear();
  }

  listHosts(): { host: string; url: string }[] {
    return [...this.hosts].map(([host, url]) => ({ host, url }));
  }

  /** Where a webhook to `url` is really sent. */
  routeWebhook(url: string): string {
    const parsed = new URL(url);
    const base = this.hosts.get(parsed.host.toLowerCase());
    return base ? `${base}${parsed.pathname}${parsed.search}` : url;
  }

  addFault(spec: FaultSpec): void {
    const { method, path, status, code = 20500, message, times = 1, after = 0, delayMs = 0 } = spec;
    this.faults.push({
      spec,
      method: method?.toUpperCase(),
      path: new RegExp(path),
      status,
      code,
      message: message ?? `Fault injected by the emulator (${code})`,
      delayMs,
      skip: after,
      remaining: times === 0 ? Infinity : times,
      hits: 0,
    });
  }

  /** The faults still armed, with how many requests each has hit so far. */
  listFaults(): (FaultSpec & { hits: number })[] {
    return this.faults.map((fault) => ({ ...fault.spec, hits: fault.hits }));
  }

  /** The first armed fault matching the request, counted as used; a fault still letting requests through counts one. */
  takeFault(method: string, target: string): FaultHit | undefined {
    for (const fault of this.faults) {
      if ((fault.method && fault.method !== method) || !fault.path.test(target)) continue;
      if (fault.skip > 0) {
        fault.skip--;
        continue;
      }
      fault.hits++;
      if (--fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault;
    }
    return undefined;
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Clears logs, violations and faults; latency and served hosts are configuration and stay. */
  clear(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.webhooks.length = 0;
    this.clearFaults();
  }

  timestamp(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
