/**
 * Functions services as the Serverless API keeps them, shared by the API (serverless.twilio.com) and the uploads
 * (serverless-upload.twilio.com): environments with their variables and deployments, functions and assets with
 * their uploaded versions, and builds that bundle versions with dependencies and a runtime.
 */
import { notFound } from '../../errors';

export type Visibility = 'public' | 'protected' | 'private';

export interface FunctionsService {
  sid: string;
  uniqueName: string;
  friendlyName: string;
  includeCredentials: boolean;
  uiEditable: boolean;
  /** `<unique name>-<4 digits>`: every environment's domain starts with it. */
  domainBase: string;
  createdAt: number;
  environments: Map<string, Environment>;
  functions: Map<string, Resource>;
  assets: Map<string, Resource>;
  builds: Map<string, Build>;
}

export interface Environment {
  sid: string;
  uniqueName: string;
  domainSuffix: string | null;
  /** The build of the latest deployment. */
  buildSid: string | null;
  createdAt: number;
  updatedAt: number;
  variables: Map<string, Variable>;
  deployments: Map<string, Deployment>;
}

export interface Variable {
  sid: string;
  key: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

export interface Deployment {
  sid: string;
  buildSid: string;
  createdAt: number;
}

/** A Function or an Asset: a name, and the versions uploaded for it. */
export interface Resource {
  sid: string;
  kind: 'function' | 'asset';
  friendlyName: string;
  createdAt: number;
  versions: Map<string, Version>;
}

export interface Version {
  sid: string;
  resource: Resource;
  path: string;
  visibility: Visibility;
  contentType: string;
  content: Buffer;
  createdAt: number;
}

export interface Dependency {
  name: string;
  version: string;
}

export interface Build {
  sid: string;
  /** `building` until its status is first read, as a real build finishes a little after it is created. */
  status: 'building' | 'completed';
  functionVersions: Version[];
  assetVersions: Version[];
  dependencies: Dependency[];
  runtime: string;
  createdAt: number;
  updatedAt: number;
}

export class FunctionsServices {
  readonly services = new Map<string, FunctionsService>();

  /** By SID or unique name, as Serverless accepts both. */
  service(path: string, sidOrName: string): FunctionsService {
    const service = this.services.get(sidOrName) ?? [...this.services.values()].find((s) => s.uniqueName === sidOrName);
    if (!service) throw notFound(path);
    return service;
  }

  /** By SID or unique name. */
  environment(path: string, service: FunctionsService, sidOrName: string): Environment {
    const environment =
      service.environments.get(sidOrName) ?? [...service.environments.values()].find((e) => e.uniqueName === sidOrName);
    if (!environment) throw notFound(path);
    return environment;
  }

  reset(): void {
    this.services.clear();
  }
}

/** A map's entry or Twilio's 404 for the request's path. */
export function found<T>(map: Map<string, T>, sid: string, path: string): T {
  const value = map.get(sid);
  if (value === undefined) throw notFound(path);
  return value;
}
