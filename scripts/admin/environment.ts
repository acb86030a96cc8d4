/**
 * The Functions service's environments (`dev` by default, `staging`, `production`, any name), one name for deploy,
 * setup and doctor: how twilio-run deploys to it, how the Serverless API's environment is found again, and which
 * settings file it reads. Each environment has its own domain, so its own webhooks.
 */
import { existsSync } from 'node:fs';

export const DEFAULT_ENVIRONMENT = 'dev';

/** Deployed to the service's bare domain, as `twilio serverless:deploy --production` does. */
const PRODUCTION = 'production';

/** Any other name becomes the domain suffix (`<service>-1234-<name>.twil.io`), which Twilio keeps this short. */
const NAME = /^[a-z0-9][a-z0-9-]{0,15}$/;

/** What is wrong with an environment name, or undefined when it is fine. */
export function environmentNameProblem(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  return `--environment must be 1 to 16 lowercase letters, digits or dashes (e.g. dev, staging, production), not ${JSON.stringify(name)}`;
}

/** twilio-run deploy's flags for the environment. */
export function twilioRunEnvironmentFlags(name: string): string[] {
  return name === PRODUCTION ? ['--production'] : ['--environment', name];
}

/** Whether a Serverless environment is the one twilio-run deploys `name` to. */
export function isEnvironment(environment: { domainSuffix: string | null }, name: string): boolean {
  return name === PRODUCTION ? !environment.domainSuffix : environment.domainSuffix === name;
}

/**
 * The settings file an environment reads when none is named: `.env.<name>` when there is one (an environment in
 * another account, or with its own number), else undefined (`.env`).
 */
export function environmentEnvFile(name: string): string | undefined {
  const file = `.env.${name}`;
  return existsSync(file) ? file : undefined;
}
