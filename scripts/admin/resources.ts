/**
 * What setup checks or provides besides the webhooks and the workflow: the account behind the credentials,
 * the Sync service that keeps the sessions, and the task channel handed-off texts arrive on.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { serviceName } from './deployment';
import type { AdminEnv } from './env';
import { failedStep, isAuthFailure, isNotFound, type Step } from './step';

export async function credentialsStep(client: TwilioClient, env: AdminEnv): Promise<Step> {
  const base = { id: 'credentials', subject: 'Credentials', changes: [] };
  try {
    const account = await retryOnServerError(() => client.api.v2010.accounts(env.ACCOUNT_SID).fetch());
    if (account.status !== 'active') {
      return {
        ...base,
        status: 'broken',
        detail: `account ${account.sid} is ${account.status}`,
        fix: 'Use an active account: Console → Admin → Account management',
      };
    }
    return { ...base, status: 'ok', detail: `account "${account.friendlyName}" (${account.sid})` };
  } catch (error) {
    if (!isAuthFailure(error)) return failedStep(base.id, base.subject, error);
    return {
      ...base,
      status: 'broken',
      detail: `AUTH_TOKEN is wrong: Twilio refused the credentials of ${env.ACCOUNT_SID} (20003)`,
      fix: 'Copy the Auth Token of this account from Console → Account Info into AUTH_TOKEN in .env',
    };
  }
}

/**
 * The Sync service: SYNC_SERVICE_SID's, or without it the one named after the project (found, or created when
 * setup applies the step). Its SID then has to go into `.env` and the deployment.
 */
export async function syncStep(client: TwilioClient, env: AdminEnv): Promise<Step> {
  const base = { id: 'sync', subject: 'Sync service', setting: true, changes: [] };
  const sync = client.sync.v1.services;
  if (env.SYNC_SERVICE_SID) {
    const sid = env.SYNC_SERVICE_SID;
    try {
      const service = await retryOnServerError(() => sync(sid).fetch());
      return { ...base, subject: `Sync service "${service.friendlyName ?? sid}"`, status: 'ok', detail: sid };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return {
        ...base,
        status: 'broken',
        detail: `SYNC_SERVICE_SID ${sid} is not in this account`,
        consequence: 'The functions cannot keep sessions: every text fails',
        fix: `Set SYNC_SERVICE_SID to a Sync service of this account, or empty it: npm run setup then finds or creates "${serviceName()}"`,
      };
    }
  }
  const name = serviceName();
  const services = await retryOnServerError(() => sync.list());
  const existing = services.find((s) => s.uniqueName === name || s.friendlyName === name);
  const putInEnv = (sid: string) => `put SYNC_SERVICE_SID=${sid} in .env, then deploy again (npm run deploy)`;
  const unset = {
    ...base,
    subject: `Sync service "${name}"`,
    consequence: 'The functions cannot keep sessions without SYNC_SERVICE_SID',
  };
  if (existing) {
    // Setup has nothing left to do in Twilio: the SID has to reach .env and the deployment.
    const detail = `SYNC_SERVICE_SID is not set; the service is ${existing.sid}`;
    return {
      ...unset,
      status: 'broken',
      detail,
      fix: `Put SYNC_SERVICE_SID=${existing.sid} in .env, then deploy again`,
    };
  }
  return {
    ...unset,
    status: 'fixable',
    detail: 'SYNC_SERVICE_SID is not set and there is no such service',
    fix: 'npm run setup creates it; then put its SID in .env and deploy again (npm run deploy)',
    changes: [{ field: 'Sync service', from: null, to: name }],
    action: 'create it',
    apply: async () => {
      const { sid } = await sync.create({ friendlyName: name });
      return `created ${sid}: ${putInEnv(sid)}`;
    },
  };
}

export async function taskChannelStep(client: TwilioClient, env: AdminEnv): Promise<Step> {
  const channel = env.FLEX_TASK_CHANNEL;
  const channels = await retryOnServerError(() =>
    client.taskrouter.v1.workspaces(env.FLEX_WORKSPACE_SID).taskChannels.list(),
  );
  const base = { id: 'task-channel', subject: `Task channel "${channel}"`, changes: [] };
  if (channels.some((c) => c.uniqueName === channel)) return { ...base, status: 'ok', detail: 'exists' };
  return {
    ...base,
    status: 'broken',
    detail: `not in the workspace (it has ${channels.map((c) => c.uniqueName).join(', ') || 'none'})`,
    consequence: `No Flex task will be created: Flex cannot route a task on channel "${channel}"`,
    fix:
      `Set FLEX_TASK_CHANNEL to one of those, or create "${channel}": ` +
      'Console → TaskRouter → Workspaces → Flex Task Assignment → Task Channels',
  };
}
