/**
 * Setup: the plan, applied one step at a time under the rules of the command line. --dry-run changes nothing;
 * a webhook of another deployment is replaced only with --force; the workflow changes only with --yes or a
 * "y" typed on a terminal (never waiting for an answer that cannot come).
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import type { AdminEnv, Flags } from './env';
import type { DeploymentNumber } from './numbers';
import { readPlan } from './plan';
import { credentialsStep } from './resources';
import { describeError, type Step } from './step';

export type Outcome =
  | 'unchanged'
  | 'changed'
  | 'would-change'
  /** Another deployment's webhook, kept without --force. */
  | 'refused'
  /** Needed a yes that did not come. */
  | 'not-applied'
  /** About a number setup was not asked to change: reported, left as it is; the step's `fix` says how. */
  | 'not-asked'
  /** Setup cannot fix it: the step's `fix` says how. */
  | 'broken'
  /** Applying it failed. */
  | 'failed'
  /** Reported, never blocking: the step's `consequence` and `fix` say what and how. */
  | 'warning';

const SUCCESSFUL: readonly Outcome[] = ['unchanged', 'changed', 'would-change', 'warning'];

export interface StepResult {
  step: Step;
  outcome: Outcome;
  message: string;
}

export interface SetupReport {
  domain?: string;
  /** The numbers setup wired (asked) and those it found already pointing at the deployment. */
  numbers: DeploymentNumber[];
  results: StepResult[];
  ok: boolean;
}

export interface SetupRules extends Pick<Flags, 'dryRun' | 'force' | 'yes'> {
  /** Asks a yes/no question on a terminal; absent when nobody can answer. */
  ask?: (question: string) => Promise<boolean>;
}

export async function applyStep(step: Step, rules: SetupRules): Promise<StepResult> {
  const result = (outcome: Outcome, message: string): StepResult => ({ step, outcome, message });
  if (step.status === 'broken') return result('broken', step.detail);
  if (step.status === 'warning') return result('warning', step.detail);
  if (step.notAsked && step.status !== 'ok') {
    const numbers = (step.numbers ?? []).join(', ');
    return result('not-asked', `${step.detail}; left as it is: setup was not asked to change ${numbers}`);
  }
  if (!step.apply) return result('unchanged', step.setting ? `already set: ${step.detail}` : step.detail);
  if (step.status === 'conflict' && !rules.force) {
    return result('refused', `${step.detail}; not replaced without --force`);
  }
  if (rules.dryRun) return result('would-change', `${step.detail}; would ${step.action ?? 'change it'}`);
  if (step.confirm && !rules.yes) {
    const agreed = rules.ask ? await rules.ask(step.confirm) : false;
    if (!agreed) return result('not-applied', `${step.detail}; not changed${rules.ask ? '' : ' without --yes'}`);
  }
  try {
    return result('changed', await step.apply());
  } catch (error) {
    return result('failed', `could not be changed: ${describeError(error)}`);
  }
}

/** Setup from start to end; `onResult` hears of each step as it is done, so changes print as they are made. */
export async function runSetup(
  client: TwilioClient,
  env: AdminEnv,
  flags: Pick<Flags, 'domain' | 'environment' | 'numbers' | 'messagingService' | 'queue' | 'plugin'>,
  rules: SetupRules,
  onResult: (result: StepResult) => void = () => {},
): Promise<SetupReport> {
  const results: StepResult[] = [];
  const record = (result: StepResult) => {
    results.push(result);
    onResult(result);
  };
  const credentials = await credentialsStep(client, env);
  record(await applyStep(credentials, rules));
  if (credentials.status !== 'ok') return { numbers: [], results, ok: false };
  const plan = await readPlan(client, env, flags);
  // One at a time: the output follows the plan's order, and a question on the terminal waits for its answer.
  for (const step of plan.steps) record(await applyStep(step, rules));
  return {
    domain: plan.deployment.found ? plan.deployment.domain : undefined,
    numbers: plan.numbers,
    results,
    ok: results.every((r) => SUCCESSFUL.includes(r.outcome)),
  };
}
