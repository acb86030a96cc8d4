/**
 * Serverless (serverless.twilio.com/v1), checked against Twilio's spec: what `twilio-run deploy` calls to ship a
 * project (Services, Environments, Functions and Assets with their Versions, Builds and their status,
 * Deployments, Variables) and what `npm run setup`/`doctor` read to find a deployment's domain. Versions are
 * uploaded on serverless-upload (`upload.ts`). A control route reports what an environment runs: its build's
 * functions and assets, dependencies and runtime, and its variables.
 */
import { createHash } from 'node:crypto';
import { ControlError } from '../../control';
import { z } from 'zod';
import { TwilioError } from '../../errors';
import { type ListRequest, v1Page } from '../../paging';
import {
  type ApiRequest,
  type ApiResult,
  type ApiRoute,
  type ControlHandler,
  inputOf,
  type Product,
} from '../../product';
import type { Route } from '../../router';
import { newSid } from '../../sid';
import type { Store } from '../../store';
import {
  type Build,
  type Dependency,
  type Deployment,
  type Environment,
  found,
  type FunctionsService,
  FunctionsServices,
  type Resource,
  type Variable,
  type Version,
} from './model';
import { Renderer } from './render';

export { FunctionsServices } from './model';
export { ServerlessUploadProduct } from './upload';

const SUB = 'serverless';
const SERVICES = '/v1/Services';
const SERVICE = `${SERVICES}/{ServiceSid}`;
const ENVIRONMENTS = `${SERVICE}/Environments`;
const ENVIRONMENT = `${ENVIRONMENTS}/{EnvironmentSid}`;
/** Unique names are URL-safe and at most 50 characters (a service's also names its domain). */
const UNIQUE_NAME = /^[A-Za-z0-9_-]{1,50}$/;
const DOMAIN_SUFFIX = /^[a-z0-9-]{1,16}$/;
const MAX_FRIENDLY_NAME = 255;
const MAX_VARIABLE_KEY = 128;
const MAX_VARIABLE_VALUE_BYTES = 450;
/** The runtimes a build may name: `build_enum_runtime` in Twilio's spec (whose request lists none). */
const RUNTIMES = ['node8', 'node10', 'node12', 'node14', 'node16', 'node18', 'node20', 'node22'];
/** Twilio Functions deploy at most this many private assets in one build. */
const MAX_PRIVATE_ASSETS = 50;

export class ServerlessProduct implements Product {
  readonly sub = SUB;
  private readonly render: Renderer;

  readonly routes: ApiRoute[] = [
    { method: 'GET', path: SERVICES, handler: (req) => this.listServices(req) },
    { method: 'POST', path: SERVICES, handler: (req) => this.createService(req) },
    { method: 'GET', path: `${SERVICES}/{Sid}`, handler: (req) => this.ok(this.render.service(this.service(req))) },
    { method: 'GET', path: ENVIRONMENTS, handler: (req) => this.listEnvironments(req) },
    // twilio-run names the environment it creates, a parameter Twilio accepts although its spec has none.
    {
      method: 'POST',
      path: ENVIRONMENTS,
      handler: (req) => this.createEnvironment(req),
      ignoredParameters: ['FriendlyName'],
    },
    { method: 'GET', path: `${ENVIRONMENTS}/{Sid}`, handler: (req) => this.fetchEnvironment(req) },
    { method: 'GET', path: `${SERVICE}/Functions`, handler: (req) => this.listResources(req, 'functions') },
    { method: 'POST', path: `${SERVICE}/Functions`, handler: (req) => this.createResource(req, 'functions') },
    { method: 'GET', path: `${SERVICE}/Functions/{Sid}`, handler: (req) => this.fetchResource(req, 'functions') },
    {
      method: 'GET',
      path: `${SERVICE}/Functions/{FunctionSid}/Versions`,
      handler: (req) => this.listVersions(req, 'functions', req.params.FunctionSid),
    },
    {
      method: 'GET',
      path: `${SERVICE}/Functions/{FunctionSid}/Versions/{Sid}`,
      handler: (req) => this.fetchVersion(req, 'functions', req.params.FunctionSid),
    },
    { method: 'GET', path: `${SERVICE}/Assets`, handler: (req) => this.listResources(req, 'assets') },
    { method: 'POST', path: `${SERVICE}/Assets`, handler: (req) => this.createResource(req, 'assets') },
    { method: 'GET', path: `${SERVICE}/Assets/{Sid}`, handler: (req) => this.fetchResource(req, 'assets') },
    {
      method: 'GET',
      path: `${SERVICE}/Assets/{AssetSid}/Versions`,
      handler: (req) => this.listVersions(req, 'assets', req.params.AssetSid),
    },
    {
      method: 'GET',
      path: `${SERVICE}/Assets/{AssetSid}/Versions/{Sid}`,
      handler: (req) => this.fetchVersion(req, 'assets', req.params.AssetSid),
    },
    { method: 'GET', path: `${SERVICE}/Builds`, handler: (req) => this.listBuilds(req) },
    { method: 'POST', path: `${SERVICE}/Builds`, handler: (req) => this.createBuild(req) },
    { method: 'GET', path: `${SERVICE}/Builds/{Sid}`, handler: (req) => this.fetchBuild(req) },
    { method: 'GET', path: `${SERVICE}/Builds/{Sid}/Status`, handler: (req) => this.buildStatus(req) },
    { method: 'GET', path: `${ENVIRONMENT}/Deployments`, handler: (req) => this.listDeployments(req) },
    { method: 'POST', path: `${ENVIRONMENT}/Deployments`, handler: (req) => this.createDeployment(req) },
    { method: 'GET', path: `${ENVIRONMENT}/Deployments/{Sid}`, handler: (req) => this.fetchDeployment(req) },
    { method: 'GET', path: `${ENVIRONMENT}/Variables`, handler: (req) => this.listVariables(req) },
    { method: 'POST', path: `${ENVIRONMENT}/Variables`, handler: (req) => this.createVariable(req) },
    { method: 'GET', path: `${ENVIRONMENT}/Variables/{Sid}`, handler: (req) => this.fetchVariable(req) },
    { method: 'POST', path: `${ENVIRONMENT}/Variables/{Sid}`, handler: (req) => this.updateVariable(req) },
    { method: 'DELETE', path: `${ENVIRONMENT}/Variables/{Sid}`, handler: (req) => this.deleteVariable(req) },
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    {
      method: 'GET',
      path: '/__emulator/serverless/services/{Service}/environments/{Environment}',
      handler: ({ params }) => ({ status: 200, json: this.report(params.Service, params.Environment) }),
    },
  ];

  constructor(
    private readonly store: Store,
    private readonly state: FunctionsServices,
  ) {
    this.render = new Renderer(SUB, store.account.sid);
  }

  reset(): void {
    this.state.reset();
  }

  // Services

  private listServices(req: ApiRequest): ApiResult {
    const render = (service: FunctionsService) => this.render.service(service);
    return this.page(req, 'services', [...this.state.services.values()], render);
  }

  private createService(req: ApiRequest): ApiResult {
    const input = inputOf<{
      UniqueName: string;
      FriendlyName: string;
      IncludeCredentials?: boolean;
      UiEditable?: boolean;
    }>(req);
    checkUniqueName(input.UniqueName);
    checkFriendlyName(input.FriendlyName);
    if ([...this.state.services.values()].some((s) => s.uniqueName === input.UniqueName)) {
      throw new TwilioError(409, 20409, `A Service with UniqueName ${input.UniqueName} already exists`);
    }
    const service: FunctionsService = {
      sid: newSid('ZS'),
      uniqueName: input.UniqueName,
      friendlyName: input.FriendlyName,
      includeCredentials: input.IncludeCredentials ?? true,
      uiEditable: input.UiEditable ?? false,
      domainBase: `${input.UniqueName}-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
      createdAt: this.now(),
      environments: new Map(),
      functions: new Map(),
      assets: new Map(),
      builds: new Map(),
    };
    this.state.services.set(service.sid, service);
    return { status: 201, json: this.render.service(service) };
  }

  private service(req: ApiRequest): FunctionsService {
    return this.state.service(req.path, req.params.ServiceSid ?? req.params.Sid);
  }

  // Environments

  private listEnvironments(req: ApiRequest): ApiResult {
    const service = this.service(req);
    const render = (environment: Environment) => this.render.environment(service, environment);
    return this.page(req, 'environments', [...service.environments.values()], render);
  }

  private createEnvironment(req: ApiRequest): ApiResult {
    const service = this.service(req);
    const { UniqueName, DomainSuffix } = inputOf<{ UniqueName: string; DomainSuffix?: string }>(req);
    checkUniqueName(UniqueName);
    const domainSuffix = DomainSuffix || null;
    if (domainSuffix !== null && !DOMAIN_SUFFIX.test(domainSuffix)) {
      throw new TwilioError(400, 20001, 'DomainSuffix must be 1 to 16 lowercase letters, digits or dashes');
    }
    const taken = [...service.environments.values()].some(
      (e) => e.uniqueName === UniqueName || e.domainSuffix === domainSuffix,
    );
    if (taken) throw new TwilioError(409, 20409, `An Environment named ${UniqueName} or on that domain already exists`);
    const now = this.now();
    const environment: Environment = {
      sid: newSid('ZE'),
      uniqueName: UniqueName,
      domainSuffix,
      buildSid: null,
      createdAt: now,
      updatedAt: now,
      variables: new Map(),
      deployments: new Map(),
    };
    service.environments.set(environment.sid, environment);
    return { status: 201, json: this.render.environment(service, environment) };
  }

  private fetchEnvironment(req: ApiRequest): ApiResult {
    const service = this.service(req);
    const environment = this.state.environment(req.path, service, req.params.Sid);
    return this.ok(this.render.environment(service, environment));
  }

  private environment(req: ApiRequest): { service: FunctionsService; environment: Environment } {
    const service = this.service(req);
    return { service, environment: found(service.environments, req.params.EnvironmentSid, req.path) };
  }

  // Functions and Assets

  private listResources(req: ApiRequest, kind: 'functions' | 'assets'): ApiResult {
    const service = this.service(req);
    const render = (resource: Resource) => this.render.resource(service, resource);
    return this.page(req, kind, [...service[kind].values()], render);
  }

  private createResource(req: ApiRequest, kind: 'functions' | 'assets'): ApiResult {
    const service = this.service(req);
    const { FriendlyName } = inputOf<{ FriendlyName: string }>(req);
    checkFriendlyName(FriendlyName);
    const resource: Resource = {
      sid: newSid('ZH'),
      kind: kind === 'functions' ? 'function' : 'asset',
      friendlyName: FriendlyName,
      createdAt: this.now(),
      versions: new Map(),
    };
    service[kind].set(resource.sid, resource);
    return { status: 201, json: this.render.resource(service, resource) };
  }

  private fetchResource(req: ApiRequest, kind: 'functions' | 'assets'): ApiResult {
    const service = this.service(req);
    return this.ok(this.render.resource(service, found(service[kind], req.params.Sid, req.path)));
  }

  private listVersions(req: ApiRequest, kind: 'functions' | 'assets', resourceSid: string): ApiResult {
    const service = this.service(req);
    const resource = found(service[kind], resourceSid, req.path);
    const key = kind === 'functions' ? 'function_versions' : 'asset_versions';
    const render = (version: Version) => this.render.version(service, version);
    return this.page(req, key, [...resource.versions.values()], render);
  }

  private fetchVersion(req: ApiRequest, kind: 'functions' | 'assets', resourceSid: string): ApiResult {
    const service = this.service(req);
    const resource = found(service[kind], resourceSid, req.path);
    return this.ok(this.render.version(service, found(resource.versions, req.params.Sid, req.path)));
  }

  // Builds

  private listBuilds(req: ApiRequest): ApiResult {
    const service = this.service(req);
    const render = (build: Build) => this.render.build(service, build);
    return this.page(req, 'builds', [...service.builds.values()], render);
  }

  private createBuild(req: ApiRequest): ApiResult {
    const service = this.service(req);
    const input = inputOf<{
      FunctionVersions?: string[];
      AssetVersions?: string[];
      Dependencies?: string;
      Runtime?: string;
    }>(req);
    const functionVersions = (input.FunctionVersions ?? []).map((sid) => versionOf(service, 'functions', sid));
    const assetVersions = (input.AssetVersions ?? []).map((sid) => versionOf(service, 'assets', sid));
    const privateAssets = assetVersions.filter((version) => version.visibility === 'private').length;
    if (privateAssets > MAX_PRIVATE_ASSETS) {
      throw new TwilioError(
        400,
        20001,
        `A Build holds at most ${MAX_PRIVATE_ASSETS} private Assets, not ${privateAssets}`,
      );
    }
    for (const versions of [functionVersions, assetVersions]) {
      const paths = versions.map((version) => version.path);
      const repeated = paths.find((path, index) => paths.indexOf(path) !== index);
      if (repeated) throw new TwilioError(400, 20001, `Two versions in the Build have the path ${repeated}`);
    }
    const runtime = input.Runtime ?? 'node22';
    if (!RUNTIMES.includes(runtime)) {
      throw new TwilioError(400, 20001, `Runtime must be one of ${RUNTIMES.join(', ')}, not ${runtime}`);
    }
    const now = this.now();
    const build: Build = {
      sid: newSid('ZB'),
      status: 'building',
      functionVersions,
      assetVersions,
      dependencies: parseDependencies(input.Dependencies),
      runtime,
      createdAt: now,
      updatedAt: now,
    };
    service.builds.set(build.sid, build);
    return { status: 201, json: this.render.build(service, build) };
  }

  private fetchBuild(req: ApiRequest): ApiResult {
    const service = this.service(req);
    return this.ok(this.render.build(service, this.finished(found(service.builds, req.params.Sid, req.path))));
  }

  private buildStatus(req: ApiRequest): ApiResult {
    const service = this.service(req);
    return this.ok(this.render.buildStatus(service, this.finished(found(service.builds, req.params.Sid, req.path))));
  }

  /** A build is done by the time anyone looks again: its inputs were checked when it was created. */
  private finished(build: Build): Build {
    if (build.status === 'building') Object.assign(build, { status: 'completed', updatedAt: this.now() });
    return build;
  }

  // Deployments

  private listDeployments(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    const render = (deployment: Deployment) => this.render.deployment(service, environment, deployment);
    return this.page(req, 'deployments', [...environment.deployments.values()], render);
  }

  private createDeployment(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    const { BuildSid } = inputOf<{ BuildSid?: string }>(req);
    if (!BuildSid) throw new TwilioError(400, 20001, 'Missing required parameter BuildSid in the post body');
    const build = service.builds.get(BuildSid);
    if (!build) throw new TwilioError(404, 20404, `Build ${BuildSid} was not found in Service ${service.sid}`);
    if (this.finished(build).status !== 'completed') {
      throw new TwilioError(400, 20001, `Build ${BuildSid} has not completed`);
    }
    const deployment = { sid: newSid('ZD'), buildSid: build.sid, createdAt: this.now() };
    environment.deployments.set(deployment.sid, deployment);
    Object.assign(environment, { buildSid: build.sid, updatedAt: deployment.createdAt });
    return { status: 201, json: this.render.deployment(service, environment, deployment) };
  }

  private fetchDeployment(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    const deployment = found(environment.deployments, req.params.Sid, req.path);
    return this.ok(this.render.deployment(service, environment, deployment));
  }

  // Variables

  private listVariables(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    const render = (variable: Variable) => this.render.variable(service, environment, variable);
    return this.page(req, 'variables', [...environment.variables.values()], render);
  }

  private createVariable(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    const { Key, Value } = inputOf<{ Key: string; Value: string }>(req);
    checkVariable(Key, Value);
    if ([...environment.variables.values()].some((v) => v.key === Key)) {
      throw new TwilioError(409, 20409, `A Variable with Key ${Key} already exists in Environment ${environment.sid}`);
    }
    const now = this.now();
    const variable = { sid: newSid('ZV'), key: Key, value: Value, createdAt: now, updatedAt: now };
    environment.variables.set(variable.sid, variable);
    return { status: 201, json: this.render.variable(service, environment, variable) };
  }

  private fetchVariable(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    return this.ok(this.render.variable(service, environment, found(environment.variables, req.params.Sid, req.path)));
  }

  private updateVariable(req: ApiRequest): ApiResult {
    const { service, environment } = this.environment(req);
    const variable = found(environment.variables, req.params.Sid, req.path);
    const { Key = variable.key, Value = variable.value } = inputOf<{ Key?: string; Value?: string }>(req);
    checkVariable(Key, Value);
    if ([...environment.variables.values()].some((v) => v.key === Key && v !== variable)) {
      throw new TwilioError(409, 20409, `A Variable with Key ${Key} already exists in Environment ${environment.sid}`);
    }
    Object.assign(variable, { key: Key, value: Value, updatedAt: this.now() });
    return this.ok(this.render.variable(service, environment, variable));
  }

  private deleteVariable(req: ApiRequest): ApiResult {
    const { environment } = this.environment(req);
    found(environment.variables, req.params.Sid, req.path);
    environment.variables.delete(req.params.Sid);
    return { status: 204 };
  }

  // What an environment runs, for tests of a deploy

  private report(serviceName: string, environmentName: string) {
    const service = [...this.state.services.values()].find(
      (s) => s.sid === serviceName || s.uniqueName === serviceName,
    );
    if (!service) throw new ControlError(404, `No Functions service ${serviceName}`);
    const environment = [...service.environments.values()].find(
      (e) => e.sid === environmentName || e.uniqueName === environmentName,
    );
    if (!environment) throw new ControlError(404, `Service ${serviceName} has no environment ${environmentName}`);
    const build = environment.buildSid ? service.builds.get(environment.buildSid) : undefined;
    const files = (versions: Version[]) =>
      versions.map(({ path, visibility, content }) => ({
        path,
        visibility,
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
      }));
    return {
      serviceSid: service.sid,
      environmentSid: environment.sid,
      domainName: this.render.domainName(service, environment),
      deployments: environment.deployments.size,
      build: build && {
        sid: build.sid,
        status: build.status,
        runtime: build.runtime,
        dependencies: Object.fromEntries(build.dependencies.map(({ name, version }) => [name, version])),
        functions: files(build.functionVersions),
        assets: files(build.assetVersions),
      },
      variables: Object.fromEntries([...environment.variables.values()].map(({ key, value }) => [key, value])),
    };
  }

  // Helpers

  private now(): number {
    return this.store.clock.now();
  }

  private ok(json: unknown): ApiResult {
    return { status: 200, json };
  }

  private page<T>(req: ApiRequest, key: string, items: T[], render: (item: T) => unknown): ApiResult {
    const list: ListRequest = { path: req.path, query: req.query, input: req.input };
    return this.ok(v1Page(SUB, list, key, items, render));
  }
}

function checkUniqueName(name: string): void {
  if (!UNIQUE_NAME.test(name)) {
    throw new TwilioError(400, 20001, 'UniqueName must be 1 to 50 letters, digits, dashes or underscores');
  }
}

function checkFriendlyName(name: string): void {
  if (name.length > MAX_FRIENDLY_NAME) {
    throw new TwilioError(400, 20001, `FriendlyName must be at most ${MAX_FRIENDLY_NAME} characters`);
  }
}

function checkVariable(key: string, value: string): void {
  if (key.length === 0 || key.length > MAX_VARIABLE_KEY) {
    throw new TwilioError(400, 20001, `Key must be 1 to ${MAX_VARIABLE_KEY} characters`);
  }
  if (Buffer.byteLength(value) > MAX_VARIABLE_VALUE_BYTES) {
    throw new TwilioError(400, 20001, `The Value of ${key} must be at most ${MAX_VARIABLE_VALUE_BYTES} bytes`);
  }
}

/** A version of the service's function or asset, for a build. */
function versionOf(service: FunctionsService, kind: 'functions' | 'assets', sid: string): Version {
  for (const resource of service[kind].values()) {
    const version = resource.versions.get(sid);
    if (version) return version;
  }
  throw new TwilioError(
    400,
    20001,
    `${sid} is not a version of a ${kind === 'functions' ? 'Function' : 'Asset'} of Service ${service.sid}`,
  );
}

const Dependencies = z.array(z.object({ name: z.string().min(1), version: z.string().min(1) }));

/**
 * `Dependencies` as JSON `[{"name": …, "version": …}]`; twilio-run sends that JSON inside a pair of double
 * quotes, which Twilio accepts.
 */
function parseDependencies(raw: string | undefined): Dependency[] {
  if (raw === undefined) return [];
  const json = /^"(.*)"$/s.exec(raw)?.[1] ?? raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const result = Dependencies.safeParse(parsed);
  if (!result.success) throw new TwilioError(400, 20001, 'Dependencies must be a JSON list of {name, version}');
  return result.data.map(({ name, version }) => ({ name, version }));
}
