/**
 * The Flex Plugins API (flex-api.twilio.com/v1/PluginService): Plugins (fetched by SID or unique name, as the
 * Flex Plugins CLI does), their Versions, Configurations with the plugin versions they carry, and Releases, the
 * last of which is the account's active one (`Releases/Active`). Versions and configurations are immutable, as
 * on Twilio. A control route seeds a customer's own plugins and release, so setup can be tested against an
 * account that already shows other plugins to its reps.
 */
import { z } from 'zod';
import { parseBody } from '../../control';
import { notFound, TwilioError } from '../../errors';
import { v1Page } from '../../paging';
import { type ApiRequest, type ApiResult, type ApiRoute, type ControlHandler, inputOf } from '../../product';
import { isoDate, shape, twilioUrl } from '../../resources';
import type { Route } from '../../router';
import { newSid } from '../../sid';

const SUB = 'flex-api';
const BASE = '/v1/PluginService';
const PLUGINS = `${BASE}/Plugins`;
const VERSIONS = `${PLUGINS}/{PluginSid}/Versions`;
const CONFIGURATIONS = `${BASE}/Configurations`;
const RELEASES = `${BASE}/Releases`;
/** The phase the Flex Plugins CLI gives a plugin in a configuration when none is said. */
const DEFAULT_PHASE = 3;

interface Plugin {
  sid: string;
  uniqueName: string;
  friendlyName: string;
  description: string;
  createdAt: number;
}

interface PluginVersion {
  sid: string;
  pluginSid: string;
  version: string;
  pluginUrl: string;
  changelog: string;
  private: boolean;
  createdAt: number;
}

interface Configuration {
  sid: string;
  name: string;
  description: string;
  /** The versions it carries, each with the phase it initialises in. */
  plugins: { versionSid: string; phase: number }[];
  createdAt: number;
}

interface Release {
  sid: string;
  configurationSid: string;
  createdAt: number;
}

const ConfiguredPlugin = z.object({ plugin_version: z.string(), phase: z.number().int().min(0).optional() });

const SeedBody = z.object({
  plugins: z
    .array(
      z.object({
        uniqueName: z.string().min(1),
        version: z.string().min(1),
        pluginUrl: z.url(),
        phase: z.number().int().min(0).optional(),
      }),
    )
    .min(1),
});

export class PluginService {
  private readonly plugins = new Map<string, Plugin>();
  private readonly versions = new Map<string, PluginVersion>();
  private readonly configurations = new Map<string, Configuration>();
  private readonly releases: Release[] = [];

  constructor(
    private readonly accountSid: string,
    private readonly now: () => number,
  ) {}

  readonly routes: ApiRoute[] = [
    { method: 'GET', path: PLUGINS, handler: (req) => this.page(req, 'plugins', [...this.plugins.values()]) },
    { method: 'POST', path: PLUGINS, handler: (req) => this.createPlugin(req) },
    { method: 'GET', path: `${PLUGINS}/{Sid}`, handler: (req) => this.ok(this.renderPlugin(this.plugin(req))) },
    { method: 'GET', path: VERSIONS, handler: (req) => this.listVersions(req) },
    { method: 'POST', path: VERSIONS, handler: (req) => this.createVersion(req) },
    { method: 'GET', path: `${VERSIONS}/{Sid}`, handler: (req) => this.ok(this.renderVersion(this.version(req))) },
    {
      method: 'GET',
      path: CONFIGURATIONS,
      handler: (req) => this.page(req, 'configurations', [...this.configurations.values()]),
    },
    { method: 'POST', path: CONFIGURATIONS, handler: (req) => this.createConfiguration(req) },
    {
      method: 'GET',
      path: `${CONFIGURATIONS}/{Sid}`,
      handler: (req) => this.ok(this.renderConfiguration(this.configuration(req, req.params.Sid))),
    },
    { method: 'GET', path: `${CONFIGURATIONS}/{ConfigurationSid}/Plugins`, handler: (req) => this.listConfigured(req) },
    { method: 'GET', path: RELEASES, handler: (req) => this.page(req, 'releases', [...this.releases].reverse()) },
    { method: 'POST', path: RELEASES, handler: (req) => this.createRelease(req) },
    { method: 'GET', path: `${RELEASES}/{Sid}`, handler: (req) => this.ok(this.renderRelease(this.release(req))) },
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    {
      method: 'POST',
      path: '/__emulator/flex/plugins/release',
      handler: ({ body }) => ({ status: 201, json: this.seedRelease(parseBody(SeedBody, body).plugins) }),
    },
  ];

  reset(): void {
    this.plugins.clear();
    this.versions.clear();
    this.configurations.clear();
    this.releases.length = 0;
  }

  /** A customer's plugins, each with one version, released together: what their reps see today. */
  private seedRelease(plugins: z.infer<typeof SeedBody>['plugins']) {
    const configured = plugins.map(({ uniqueName, version, pluginUrl, phase }) => {
      const plugin =
        this.findPlugin(uniqueName) ?? this.addPlugin({ uniqueName, friendlyName: uniqueName, description: '' });
      const existing = [...this.versions.values()].find((v) => v.pluginSid === plugin.sid && v.version === version);
      const pluginVersion = existing ?? this.addVersion(plugin, { version, pluginUrl, changelog: '', private: false });
      return { versionSid: pluginVersion.sid, phase: phase ?? DEFAULT_PHASE };
    });
    const configuration = this.addConfiguration('Seeded by the emulator', '', configured);
    const release = this.addRelease(configuration.sid);
    return { releaseSid: release.sid, configurationSid: configuration.sid };
  }

  // Plugins

  private createPlugin(req: ApiRequest): ApiResult {
    const { UniqueName, FriendlyName, Description } = inputOf<{
      UniqueName: string;
      FriendlyName?: string;
      Description?: string;
    }>(req);
    if (this.findPlugin(UniqueName)) {
      throw new TwilioError(409, 20409, `Plugin with unique name ${UniqueName} already exists`);
    }
    const plugin = this.addPlugin({
      uniqueName: UniqueName,
      friendlyName: FriendlyName ?? UniqueName,
      description: Description ?? '',
    });
    return { status: 201, json: this.renderPlugin(plugin) };
  }

  private addPlugin(fields: Pick<Plugin, 'uniqueName' | 'friendlyName' | 'description'>): Plugin {
    const plugin: Plugin = { sid: newSid('FP'), createdAt: this.now(), ...fields };
    this.plugins.set(plugin.sid, plugin);
    return plugin;
  }

  private findPlugin(sidOrName: string): Plugin | undefined {
    return this.plugins.get(sidOrName) ?? [...this.plugins.values()].find((p) => p.uniqueName === sidOrName);
  }

  private plugin(req: ApiRequest, sidOrName = req.params.Sid): Plugin {
    const plugin = this.findPlugin(sidOrName);
    if (!plugin) throw notFound(req.path);
    return plugin;
  }

  // Versions

  private listVersions(req: ApiRequest): ApiResult {
    const plugin = this.plugin(req, req.params.PluginSid);
    const versions = [...this.versions.values()].filter((v) => v.pluginSid === plugin.sid);
    return this.page(req, 'plugin_versions', versions);
  }

  private createVersion(req: ApiRequest): ApiResult {
    const plugin = this.plugin(req, req.params.PluginSid);
    const input = inputOf<{ Version: string; PluginUrl: string; Changelog?: string; Private?: boolean }>(req);
    if (!/^\d+\.\d+\.\d+/.test(input.Version)) {
      throw new TwilioError(400, 20001, `Version ${input.Version} is not a semantic version`);
    }
    if ([...this.versions.values()].some((v) => v.pluginSid === plugin.sid && v.version === input.Version)) {
      throw new TwilioError(409, 20409, `Version ${input.Version} of plugin ${plugin.uniqueName} already exists`);
    }
    const version = this.addVersion(plugin, {
      version: input.Version,
      pluginUrl: input.PluginUrl,
      changelog: input.Changelog ?? '',
      private: input.Private ?? true,
    });
    return { status: 201, json: this.renderVersion(version) };
  }

  private addVersion(
    plugin: Plugin,
    fields: Pick<PluginVersion, 'version' | 'pluginUrl' | 'changelog' | 'private'>,
  ): PluginVersion {
    const version: PluginVersion = { sid: newSid('FV'), pluginSid: plugin.sid, createdAt: this.now(), ...fields };
    this.versions.set(version.sid, version);
    return version;
  }

  private version(req: ApiRequest): PluginVersion {
    const plugin = this.plugin(req, req.params.PluginSid);
    const version = this.versions.get(req.params.Sid);
    if (!version || version.pluginSid !== plugin.sid) throw notFound(req.path);
    return version;
  }

  // Configurations

  private createConfiguration(req: ApiRequest): ApiResult {
    const { Name, Description, Plugins } = inputOf<{ Name: string; Description?: string; Plugins?: unknown[] }>(req);
    const configured = (Plugins ?? []).map((item) => {
      const parsed = ConfiguredPlugin.safeParse(item);
      if (!parsed.success) {
        throw new TwilioError(400, 20001, `Plugins: ${JSON.stringify(item)} is not {plugin_version, phase}`);
      }
      const version = this.versions.get(parsed.data.plugin_version);
      if (!version) throw new TwilioError(404, 20404, `Plugin version ${parsed.data.plugin_version} was not found`);
      return { versionSid: version.sid, phase: parsed.data.phase ?? DEFAULT_PHASE };
    });
    const pluginSids = configured.map(({ versionSid }) => this.versions.get(versionSid)?.pluginSid);
    if (new Set(pluginSids).size !== pluginSids.length) {
      throw new TwilioError(400, 20001, 'A configuration carries at most one version of each plugin');
    }
    const configuration = this.addConfiguration(Name, Description ?? '', configured);
    return { status: 201, json: this.renderConfiguration(configuration) };
  }

  private addConfiguration(name: string, description: string, plugins: Configuration['plugins']): Configuration {
    const configuration: Configuration = { sid: newSid('FJ'), name, description, plugins, createdAt: this.now() };
    this.configurations.set(configuration.sid, configuration);
    return configuration;
  }

  private configuration(req: ApiRequest, sid: string): Configuration {
    const configuration = this.configurations.get(sid);
    if (!configuration) throw notFound(req.path);
    return configuration;
  }

  private listConfigured(req: ApiRequest): ApiResult {
    const configuration = this.configuration(req, req.params.ConfigurationSid);
    const render = ({ versionSid, phase }: Configuration['plugins'][number]) =>
      this.renderConfigured(configuration, versionSid, phase);
    return { status: 200, json: v1Page(SUB, req, 'plugins', configuration.plugins, render) };
  }

  // Releases

  private createRelease(req: ApiRequest): ApiResult {
    const { ConfigurationId } = inputOf<{ ConfigurationId: string }>(req);
    if (!this.configurations.has(ConfigurationId)) {
      throw new TwilioError(404, 20404, `Configuration ${ConfigurationId} was not found`);
    }
    return { status: 201, json: this.renderRelease(this.addRelease(ConfigurationId)) };
  }

  private addRelease(configurationSid: string): Release {
    const release: Release = { sid: newSid('FK'), configurationSid, createdAt: this.now() };
    this.releases.push(release);
    return release;
  }

  /** `Active` is the latest release, as Flex loads it; 404 while the account has none. */
  private release(req: ApiRequest): Release {
    const { Sid } = req.params;
    const release = Sid === 'Active' ? this.releases.at(-1) : this.releases.find((r) => r.sid === Sid);
    if (!release) throw notFound(req.path);
    return release;
  }

  // Rendering

  private ok(json: unknown): ApiResult {
    return { status: 200, json };
  }

  private page<T extends Plugin | PluginVersion | Configuration | Release>(
    req: ApiRequest,
    key: string,
    items: T[],
  ): ApiResult {
    const render = (item: T): unknown => {
      if ('uniqueName' in item) return this.renderPlugin(item);
      if ('pluginUrl' in item) return this.renderVersion(item);
      if ('plugins' in item) return this.renderConfiguration(item);
      return this.renderRelease(item);
    };
    return { status: 200, json: v1Page(SUB, req, key, items, render) };
  }

  private renderPlugin(plugin: Plugin) {
    const self = twilioUrl(SUB, `${PLUGINS}/${plugin.sid}`);
    return shape('flex.v1.plugin', {
      sid: plugin.sid,
      account_sid: this.accountSid,
      unique_name: plugin.uniqueName,
      friendly_name: plugin.friendlyName,
      description: plugin.description,
      archived: false,
      date_created: isoDate(plugin.createdAt),
      date_updated: isoDate(plugin.createdAt),
      url: self,
      links: { plugin_versions: `${self}/Versions` },
    });
  }

  private renderVersion(version: PluginVersion) {
    return shape('flex.v1.plugin.plugin_version', {
      sid: version.sid,
      plugin_sid: version.pluginSid,
      account_sid: this.accountSid,
      version: version.version,
      plugin_url: version.pluginUrl,
      changelog: version.changelog,
      private: version.private,
      archived: false,
      validated: false,
      date_created: isoDate(version.createdAt),
      url: twilioUrl(SUB, `${PLUGINS}/${version.pluginSid}/Versions/${version.sid}`),
    });
  }

  private renderConfiguration(configuration: Configuration) {
    const self = twilioUrl(SUB, `${CONFIGURATIONS}/${configuration.sid}`);
    return shape('flex.v1.plugin_configuration', {
      sid: configuration.sid,
      account_sid: this.accountSid,
      name: configuration.name,
      description: configuration.description,
      archived: false,
      date_created: isoDate(configuration.createdAt),
      url: self,
      links: { plugins: `${self}/Plugins` },
    });
  }

  private renderConfigured(configuration: Configuration, versionSid: string, phase: number) {
    const version = this.versions.get(versionSid);
    const plugin = version && this.plugins.get(version.pluginSid);
    if (!version || !plugin) throw new Error(`configuration ${configuration.sid} names a missing ${versionSid}`);
    return shape('flex.v1.plugin_configuration.configured_plugin', {
      account_sid: this.accountSid,
      configuration_sid: configuration.sid,
      plugin_sid: plugin.sid,
      plugin_version_sid: version.sid,
      phase,
      plugin_url: version.pluginUrl,
      unique_name: plugin.uniqueName,
      friendly_name: plugin.friendlyName,
      description: plugin.description,
      plugin_archived: false,
      version: version.version,
      changelog: version.changelog,
      plugin_version_archived: false,
      private: version.private,
      date_created: isoDate(configuration.createdAt),
      url: twilioUrl(SUB, `${CONFIGURATIONS}/${configuration.sid}/Plugins/${plugin.sid}`),
    });
  }

  private renderRelease(release: Release) {
    return shape('flex.v1.plugin_release', {
      sid: release.sid,
      account_sid: this.accountSid,
      configuration_sid: release.configurationSid,
      date_created: isoDate(release.createdAt),
      url: twilioUrl(SUB, `${RELEASES}/${release.sid}`),
    });
  }
}
