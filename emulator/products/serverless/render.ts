/** Serverless resources as Twilio answers them: every property of the spec's schemas, absolute `url`/`links`. */
import { isoDate, shape, twilioUrl } from '../../resources';
import type { Build, Deployment, Environment, FunctionsService, Resource, Variable, Version } from './model';

export class Renderer {
  constructor(
    private readonly sub: string,
    private readonly accountSid: string,
  ) {}

  private url(path: string): string {
    return twilioUrl(this.sub, `/v1/Services/${path}`);
  }

  service(service: FunctionsService) {
    const self = this.url(service.sid);
    return shape('serverless.v1.service', {
      sid: service.sid,
      account_sid: this.accountSid,
      friendly_name: service.friendlyName,
      unique_name: service.uniqueName,
      include_credentials: service.includeCredentials,
      ui_editable: service.uiEditable,
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
    });
  }

  domainName(service: FunctionsService, environment: Environment): string {
    const suffix = environment.domainSuffix ? `-${environment.domainSuffix}` : '';
    return `${service.domainBase}${suffix}.twil.io`;
  }

  environment(service: FunctionsService, environment: Environment) {
    const self = this.url(`${service.sid}/Environments/${environment.sid}`);
    return shape('serverless.v1.service.environment', {
      sid: environment.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      build_sid: environment.buildSid,
      unique_name: environment.uniqueName,
      domain_suffix: environment.domainSuffix,
      domain_name: this.domainName(service, environment),
      date_created: isoDate(environment.createdAt),
      date_updated: isoDate(environment.updatedAt),
      url: self,
      links: { variables: `${self}/Variables`, deployments: `${self}/Deployments`, logs: `${self}/Logs` },
    });
  }

  resource(service: FunctionsService, resource: Resource) {
    const self = this.url(`${service.sid}/${resource.kind === 'function' ? 'Functions' : 'Assets'}/${resource.sid}`);
    return shape(`serverless.v1.service.${resource.kind}`, {
      sid: resource.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      friendly_name: resource.friendlyName,
      date_created: isoDate(resource.createdAt),
      date_updated: isoDate(resource.createdAt),
      url: self,
      links: { [`${resource.kind}_versions`]: `${self}/Versions` },
    });
  }

  version(service: FunctionsService, version: Version) {
    const { kind, sid: resourceSid } = version.resource;
    const self = this.url(
      `${service.sid}/${kind === 'function' ? 'Functions' : 'Assets'}/${resourceSid}/Versions/${version.sid}`,
    );
    return shape(`serverless.v1.service.${kind}.${kind}_version`, {
      sid: version.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      [`${kind}_sid`]: resourceSid,
      path: version.path,
      visibility: version.visibility,
      date_created: isoDate(version.createdAt),
      url: self,
      ...(kind === 'function' && { links: { function_version_content: `${self}/Content` } }),
    });
  }

  build(service: FunctionsService, build: Build) {
    const self = this.url(`${service.sid}/Builds/${build.sid}`);
    const versions = (list: Version[]) =>
      list.map((version) => {
        // Inside a build, versions are listed without their own url and links.
        const { url: _url, links: _links, ...fields } = this.version(service, version);
        return fields;
      });
    return shape('serverless.v1.service.build', {
      sid: build.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      status: build.status,
      asset_versions: versions(build.assetVersions),
      function_versions: versions(build.functionVersions),
      dependencies: build.dependencies,
      runtime: build.runtime,
      date_created: isoDate(build.createdAt),
      date_updated: isoDate(build.updatedAt),
      url: self,
      links: { build_status: `${self}/Status` },
    });
  }

  buildStatus(service: FunctionsService, build: Build) {
    return shape('serverless.v1.service.build.build_status', {
      sid: build.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      status: build.status,
      url: this.url(`${service.sid}/Builds/${build.sid}/Status`),
    });
  }

  deployment(service: FunctionsService, environment: Environment, deployment: Deployment) {
    return shape('serverless.v1.service.environment.deployment', {
      sid: deployment.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      environment_sid: environment.sid,
      build_sid: deployment.buildSid,
      date_created: isoDate(deployment.createdAt),
      date_updated: isoDate(deployment.createdAt),
      url: this.url(`${service.sid}/Environments/${environment.sid}/Deployments/${deployment.sid}`),
    });
  }

  variable(service: FunctionsService, environment: Environment, variable: Variable) {
    return shape('serverless.v1.service.environment.variable', {
      sid: variable.sid,
      account_sid: this.accountSid,
      service_sid: service.sid,
      environment_sid: environment.sid,
      key: variable.key,
      value: variable.value,
      date_created: isoDate(variable.createdAt),
      date_updated: isoDate(variable.updatedAt),
      url: this.url(`${service.sid}/Environments/${environment.sid}/Variables/${variable.sid}`),
    });
  }
}
