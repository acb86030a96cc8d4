/**
 * The Flex plugin in the account's active release, through the Flex Plugins API: the Plugin, our Version (its
 * URL the public asset the deploy ships), a Configuration and a Release. A release replaces the whole active
 * configuration, so the new one carries every plugin version the active release has, with its phase, ours in
 * place of an older version of ours: a customer's other plugins never vanish from their reps' screens.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { type PluginPackage, pluginPackage, pluginUrl } from './plugin-bundle';
import { isNotFound, type Step } from './step';

/** The phase the Flex Plugins CLI releases a plugin in. */
const DEFAULT_PHASE = 3;

interface ReleasedPlugin {
  uniqueName: string;
  version: string;
  versionSid: string;
  phase: number;
}

interface ActiveRelease {
  sid: string;
  plugins: ReleasedPlugin[];
}

const named = (plugins: ReleasedPlugin[]) => plugins.map((p) => `${p.uniqueName}@${p.version}`).join(', ') || null;

/** The active release and the plugin versions it carries; undefined while the account has released none. */
async function readActiveRelease(client: TwilioClient): Promise<ActiveRelease | undefined> {
  const service = client.flexApi.v1;
  let configurationSid: string;
  let sid: string;
  try {
    ({ sid, configurationSid } = await retryOnServerError(() => service.pluginReleases('Active').fetch()));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const configured = await retryOnServerError(() => service.pluginConfigurations(configurationSid).plugins.list());
  const plugins = configured.map((p) => ({
    uniqueName: p.uniqueName,
    version: p.version,
    versionSid: p.pluginVersionSid,
    phase: p.phase,
  }));
  return { sid, plugins };
}

async function findOurVersion(client: TwilioClient, plugin: PluginPackage) {
  const service = client.flexApi.v1;
  const found = (await retryOnServerError(() => service.plugins.list())).find(
    (p) => p.uniqueName === plugin.uniqueName,
  );
  if (!found) return { pluginSid: undefined, version: undefined };
  const versions = await retryOnServerError(() => service.plugins(found.sid).pluginVersions.list());
  return { pluginSid: found.sid, version: versions.find((v) => v.version === plugin.version) };
}

/** Registers what is missing and releases the active plugins with ours; answers what it did. */
async function release(client: TwilioClient, plugin: PluginPackage, url: string): Promise<string> {
  const service = client.flexApi.v1;
  const made: string[] = [];
  let { pluginSid, version } = await findOurVersion(client, plugin);
  if (!pluginSid) {
    ({ sid: pluginSid } = await service.plugins.create({
      uniqueName: plugin.uniqueName,
      friendlyName: 'Flex SMS handoff',
      description: 'The Handoff card on handed-off tasks and the AI’s messages marked in the thread',
    }));
    made.push(`plugin ${pluginSid}`);
  }
  if (!version) {
    version = await service.plugins(pluginSid).pluginVersions.create({
      version: plugin.version,
      pluginUrl: url,
      private: false,
      changelog: `flex-sms-handoff ${plugin.version}`,
    });
    made.push(`version ${version.sid}`);
  }
  // Read again just before releasing: a release made since the plan was read must not be undone.
  const active = await readActiveRelease(client);
  const ours = active?.plugins.find((p) => p.uniqueName === plugin.uniqueName);
  const others = (active?.plugins ?? []).filter((p) => p !== ours);
  const configuration = await service.pluginConfigurations.create({
    name: `${plugin.uniqueName}@${plugin.version}`,
    description: `Released by npm run setup: ${named(others) ?? 'no other plugin'} and ${plugin.uniqueName}@${plugin.version}`,
    plugins: [
      ...others.map((p) => ({ plugin_version: p.versionSid, phase: p.phase })),
      { plugin_version: version.sid, phase: ours?.phase ?? DEFAULT_PHASE },
    ],
  });
  const { sid } = await service.pluginReleases.create({ configurationId: configuration.sid });
  made.push(`configuration ${configuration.sid}`, `release ${sid}`);
  const kept = others.length ? `, keeping ${named(others)}` : '';
  return `released ${plugin.uniqueName}@${plugin.version}${kept} (created ${made.join(', ')})`;
}

export async function pluginStep(client: TwilioClient, domain: string): Promise<Step> {
  const plugin = pluginPackage();
  const ourName = `${plugin.uniqueName}@${plugin.version}`;
  const url = pluginUrl(domain, plugin);
  const [{ version }, active] = await Promise.all([findOurVersion(client, plugin), readActiveRelease(client)]);
  const base = { id: 'plugin', subject: `Flex plugin ${plugin.uniqueName}`, setting: true };
  if (version && version.pluginUrl !== url) {
    return {
      ...base,
      status: 'broken',
      detail: `version ${plugin.version} is registered with another bundle, ${version.pluginUrl}`,
      consequence: `Releasing it would load the bundle at that URL, not ${url}`,
      fix: 'Versions cannot change: raise the version in flex-plugin/package.json, then npm run deploy and npm run setup',
      changes: [],
    };
  }
  const released = active?.plugins ?? [];
  const ours = released.find((p) => p.uniqueName === plugin.uniqueName);
  if (active && version && ours?.versionSid === version.sid) {
    const others = released.length - 1;
    return {
      ...base,
      status: 'ok',
      detail: `${ourName} is in the active release ${active.sid}, with ${others} other plugin(s)`,
      changes: [],
    };
  }
  const where = active ? `the active release ${active.sid}` : 'this account, which has no plugin release';
  const detail = ours
    ? `${where} carries ${ours.uniqueName}@${ours.version}, not ${plugin.version}`
    : `not in ${where}`;
  const to = named([...released.filter((p) => p !== ours), { ...plugin, versionSid: '', phase: DEFAULT_PHASE }]);
  return {
    ...base,
    status: 'fixable',
    detail,
    consequence: 'Reps see no Handoff card on handed-off tasks, and the AI’s messages are not marked',
    fix: 'npm run setup',
    action: `release ${ourName}${released.length > (ours ? 1 : 0) ? ' with the plugins released now' : ''}`,
    changes: [
      ...(version ? [] : [{ field: 'PluginUrl', from: null, to: url }]),
      { field: 'Released plugins', from: named(released), to: to ?? ourName },
    ],
    apply: () => release(client, plugin, url),
  };
}
