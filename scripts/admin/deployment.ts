/**
 * Which deployment setup and the doctor are about: its domain (from --domain, or the Serverless API's
 * environments of the Functions service `.twilioserverlessrc` names) and the webhook URLs on it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';

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

/** The deployment's domain: the one given, or the only environment of the deployed Functions service. */
export async function findDeployment(client: TwilioClient, domain: string | undefined): Promise<DeploymentLookup> {
  if (domain) return { found: true, domain, source: '--domain' };
  const name = serviceName();
  const services = await retryOnServerError(() => client.serverless.v1.services.list());
  const service = services.find((s) => s.uniqueName === name);
  if (!service) {
    return {
      found: false,
      problem: `no Functions service named ${name} in this account`,
      fix: 'Deploy first (npm run deploy), or pass --domain <your service domain>',
    };
  }
  const environments = await retryOnServerError(() => client.serverless.v1.services(service.sid).environments.list());
  if (environments.length === 1) {
    const [environment] = environments;
    return {
      found: true,
      domain: environment.domainName,
      source: `environment ${environment.uniqueName} of Functions service ${name}`,
    };
  }
  if (environments.length === 0) {
    return {
      found: false,
      problem: `Functions service ${name} has no environment`,
      fix: 'Deploy first (npm run deploy), or pass --domain <your service domain>',
    };
  }
  const listed = environments.map((e) => `${e.domainName} (${e.uniqueName})`).join(', ');
  return {
    found: false,
    problem: `Functions service ${name} has ${environments.length} environments: ${listed}`,
    fix: `Pass the one to use: --domain ${environments[0].domainName}`,
  };
}
