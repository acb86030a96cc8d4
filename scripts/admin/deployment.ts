/**
 * Which deployment setup and the doctor are about: its domain (from --domain, or the Serverless API's
 * environment, `dev` unless --environment names another, of the Functions service `.twilioserverlessrc` names)
 * and the webhook URLs on it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { isEnvironment } from './environment';

/** The functions' webhook paths. */
export const ENDPOINTS = {
  sms: '/sms/inbound',
  taskrouter: '/taskrouter/event',
  conversations: '/conversations/event',
} as const;

export type Endpoint = keyof typeof ENDPOINTS;

export function endpointUrl(domain: string, endpoint: Endpoint): string {
  return `https://${domain}${ENDPOINTS[endpoint]}`;
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** `https://Flex-1234-dev.twil.io/` → `flex-1234-dev.twil.io`; undefined for anything but a bare host. */
export function normaliseDomain(input: string): string | undefined {
  const host = input
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  return HOST.test(host) ? host : undefined;
}

/** The host a webhook URL points at; undefined when it is empty or not a URL. */
export function hostOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Whose a webhook URL is: nobody's, this deployment's (its domain), another deployment of this project (the
 * same function on another domain: setup replaces it only with --force), or another integration's (setup
 * works around it and never changes it).
 */
export type UrlOwner = 'none' | 'ours' | 'other-deployment' | 'other-integration';

export function ownerOf(url: string | null | undefined, domain: string, endpoint: Endpoint): UrlOwner {
  const host = hostOf(url);
  if (!host) return 'none';
  if (host === domain) return 'ours';
  return new URL(url as string).pathname === ENDPOINTS[endpoint] ? 'other-deployment' : 'other-integration';
}

/** The Functions service's unique name, as `twilio serverless:deploy` creates it. */
export function serviceName(): string {
  try {
    const config = JSON.parse(readFileSync(join(__dirname, '..', '..', '.twilioserverlessrc'), 'utf8')) as {
      serviceName?: unknown;
    };
    if (typeof config.serviceName === 'string' && config.serviceName) return config.serviceName;
  } catch {
    // no readable .twilioserverlessrc: the name the project deploys under
  }
  return 'flex-sms-handoff';
}

export type DeploymentLookup =
  { found: true; domain: string; source: string } | { found: false; problem: string; fix: string };

/** The deployment's domain: the one given, or that of the named environment of the deployed Functions service. */
export async function findDeployment(
  client: TwilioClient,
  domain: string | undefined,
  environmentName: string,
): Promise<DeploymentLookup> {
  if (domain) return { found: true, domain, source: '--domain' };
  const name = serviceName();
  const deployIt = `Deploy it (npm run deploy -- --environment ${environmentName}), or pass --domain <its domain>`;
  const services = await retryOnServerError(() => client.serverless.v1.services.list());
  const service = services.find((s) => s.uniqueName === name);
  if (!service) {
    return { found: false, problem: `no Functions service named ${name} in this account`, fix: deployIt };
  }
  const environments = await retryOnServerError(() => client.serverless.v1.services(service.sid).environments.list());
  const environment = environments.find((e) => isEnvironment(e, environmentName));
  if (environment) {
    return {
      found: true,
      domain: environment.domainName,
      source: `environment ${environment.uniqueName} of Functions service ${name}`,
    };
  }
  const listed = environments.map((e) => `${e.domainName} (${e.uniqueName})`).join(', ');
  return {
    found: false,
    problem: `Functions service ${name} has no ${environmentName} environment${listed ? `; it has ${listed}` : ''}`,
    fix: deployIt,
  };
}
