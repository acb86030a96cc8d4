/**
 * Serverless (serverless.twilio.com/v1): Functions services and their environments, enough for `npm run setup`
 * and `npm run doctor` to find a deployment's domain. Twilio's vendored OpenAPI documents do not include this
 * API, so its routes are outside the spec (still behind basic auth) and check their form parameters themselves.
 */
import { notFound, TwilioError } from '../errors';
import { type ListRequest, v1Page } from '../paging';
import type { ApiRequest, ApiResult, ApiRoute, Product } from '../product';
import { isoDate, twilioUrl } from '../resources';
import { newSid } from '../sid';
import type { Store } from '../store';

const SUB = 'serverless';
const SERVICES = '/v1/Services';
const ENVIRONMENTS = `${SERVICES}/{ServiceSid}/Environments`;
/** Unique names are URL-safe and at most 50 characters (a service's also names its domain). */
const UNIQUE_NAME = /^[A-Za-z0-9_-]{1,50}$/;
const DOMAIN_SUFFIX = /^[a-z0-9-]{1,16}$/;

interface FunctionsService {
  sid: string;
  uniqueName: string;
  friendlyName: string;
  /** `<unique name>-<4 digits>`: every environment's domain starts with it. */
  domainBase: string;
  createdAt: number;
  environments: Map<string, Environment>;
}

interface Environment {
  sid: string;
  uniqueName: string;
  domainSuffix: string | null;
  createdAt: number;
}

export class ServerlessProduct implements Product {
  readonly sub = SUB;
  private readonly services = new Map<string, FunctionsService>();

  readonly routes: ApiRoute[] = [
    { method: 'GET', path: SERVICES, handler: (req) => this.listServices(req), outsideSpec: true },
    { method: 'POST', path: SERVICES, handler: (req) => this.createService(req), outsideSpec: true },
    { method: 'GET', path: `${SERVICES}/{Sid}`, handler: (req) => this.fetchService(req), outsideSpec: true },
    { method: 'GET', path: ENVIRONMENTS, handler: (req) => this.listEnvironments(req), outsideSpec: true },
    { method: 'POST', path: ENVIRONMENTS, handler: (req) => this.createEnvironment(req), outsideSpec: true },
    { method: 'GET', path: `${ENVIRONMENTS}/{Sid}`, handler: (req) => this.fetchEnvironment(req), outsideSpec: true },
  ];

  constructor(private readonly store: Store) {}

  reset(): void {
    this.services.clear();
  }

  // Services

  private listServices(req: ApiRequest): ApiResult {
    const services = [...this.services.values()];
    return { status: 200, json: v1Page(SUB, listRequest(req), 'services', services, (s) => this.renderService(s)) };
  }

  private createService(req: ApiRequest): ApiResult {
    const form = formOf(req);
    const uniqueName = required(form, 'UniqueName');
    const friendlyName = required(form, 'FriendlyName');
    if (!UNIQUE_NAME.test(uniqueName)) {
      throw new TwilioError(400, 20001, 'UniqueName must be 1 to 50 letters, digits, dashes or underscores');
    }
    if ([...this.services.values()].some((s) => s.uniqueName === uniqueName)) {
      throw new TwilioError(409, 20001, `A Service with UniqueName ${uniqueName} already exists`);
    }
    const service: FunctionsService = {
      sid: newSid('ZS'),
      uniqueName,
      friendlyName,
      domainBase: `${uniqueName}-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
      createdAt: this.store.clock.now(),
      environments: new Map(),
    };
    this.services.set(service.sid, service);
    return { status: 201, json: this.renderService(service) };
  }

  private fetchService(req: ApiRequest): ApiResult {
    return { status: 200, json: this.renderService(this.service(req, req.params.Sid)) };
  }

  /** By SID or unique name, as Serverless accepts both. */
  private service(req: ApiRequest, sidOrName: string): FunctionsService {
    const service = this.services.get(sidOrName) ?? [...this.services.values()].find((s) => s.uniqueName === sidOrName);
    if (!service) throw notFound(req.path);
    return service;
  }

  // Environments

  private listEnvironments(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const environments = [...service.environments.values()];
    const render = (environment: Environment) => this.renderEnvironment(service, environment);
    return { status: 200, json: v1Page(SUB, listRequest(req), 'environments', environments, render) };
  }

  private createEnvironment(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const form = formOf(req);
    const uniqueName = required(form, 'UniqueName');
    const domainSuffix = form.get('DomainSuffix') || null;
    if (!UNIQUE_NAME.test(uniqueName)) {
      throw new TwilioError(400, 20001, 'UniqueName must be 1 to 50 letters, digits, dashes or underscores');
    }
    if (domainSuffix !== null && !DOMAIN_SUFFIX.test(domainSuffix)) {
      throw new TwilioError(400, 20001, 'DomainSuffix must be 1 to 16 lowercase letters, digits or dashes');
    }
    const taken = [...service.environments.values()].some(
      (e) => e.uniqueName === uniqueName || e.domainSuffix === domainSuffix,
    );
    if (taken) throw new TwilioError(409, 20001, `An Environment named ${uniqueName} or on that domain already exists`);
    const environment: Environment = {
      sid: newSid('ZE'),
      uniqueName,
      domainSuffix,
      createdAt: this.store.clock.now(),
    };
    service.environments.set(environment.sid, environment);
    return { status: 201, json: this.renderEnvironment(service, environment) };
  }

  private fetchEnvironment(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const environment =
      service.environments.get(req.params.Sid) ??
      [...service.environments.values()].find((e) => e.uniqueName === req.params.Sid);
    if (!environment) throw notFound(req.path);
    return { status: 200, json: this.renderEnvironment(service, environment) };
  }

  // Rendering, with the fields of twilio-node's ServiceResource and EnvironmentResource

  private renderService(service: FunctionsService) {
    const self = twilioUrl(SUB, `${SERVICES}/${service.sid}`);
    return {
      sid: service.sid,
      account_sid: this.store.account.sid,
      friendly_name: service.friendlyName,
      unique_name: service.uniqueName,
      include_credentials: true,
      ui_editable: false,
      domain_base: service.domainBase,
      date_created: isoDate(service.createdAt),
      date_updated: isoDate(service.createdAt),
      url: self,
      links: {
        functions: `${self}/Functions`,
        assets: `${self}/Assets`,
        environments: `${self}/Environments`,
        builds: `${self}/Builds`,
      },
    };
  }

  private renderEnvironment(service: FunctionsService, environment: Environment) {
    const self = twilioUrl(SUB, `${SERVICES}/${service.sid}/Environments/${environment.sid}`);
    const suffix = environment.domainSuffix ? `-${environment.domainSuffix}` : '';
    return {
      sid: environment.sid,
      account_sid: this.store.account.sid,
      service_sid: service.sid,
      build_sid: null,
      unique_name: environment.uniqueName,
      domain_suffix: environment.domainSuffix,
      domain_name: `${service.domainBase}${suffix}.twil.io`,
      date_created: isoDate(environment.createdAt),
      date_updated: isoDate(environment.createdAt),
      url: self,
      links: { variables: `${self}/Variables`, deployments: `${self}/Deployments`, logs: `${self}/Logs` },
    };
  }
}

/** Routes outside the spec get their form body raw: nothing has parsed or checked it. */
function formOf(req: ApiRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString());
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new TwilioError(400, 20001, `Missing required parameter ${name} in the post body`);
  return value;
}

/** Paging parameters as numbers, as spec validation would have coerced them. */
function listRequest(req: ApiRequest): ListRequest {
  const number = (name: string) => {
    const value = req.query.get(name);
    return value === null || !/^\d+$/.test(value) ? undefined : Number(value);
  };
  return {
    path: req.path,
    query: req.query,
    input: { PageSize: number('PageSize'), Page: number('Page'), PageToken: req.query.get('PageToken') ?? undefined },
  };
}
