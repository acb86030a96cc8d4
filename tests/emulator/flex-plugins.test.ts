import { type RunningEmulator, startEmulator } from '../../emulator';
import { control, controlOk, twilioRequest } from '../../emulator/testing';

let emulator: RunningEmulator;
const BASE = '/flex-api/v1/PluginService';

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => control(emulator, 'POST', '/reset'));

async function call(method: string, path: string, form?: Record<string, string | string[]>) {
  const response = await twilioRequest(emulator, method, `${BASE}${path}`, form);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function newVersion(uniqueName: string, version: string): Promise<string> {
  const plugin = await call('POST', '/Plugins', { UniqueName: uniqueName });
  const created = await call('POST', `/Plugins/${plugin.json.sid as string}/Versions`, {
    Version: version,
    PluginUrl: `https://example.com/${uniqueName}.js`,
  });
  return created.json.sid as string;
}

describe('the Flex Plugins API', () => {
  it('has no active release until one is made', async () => {
    expect(await call('GET', '/Releases/Active')).toMatchObject({ status: 404, json: { code: 20404 } });
  });

  it('refuses a second plugin of the same unique name, and a version twice', async () => {
    await newVersion('twice', '1.0.0');
    expect(await call('POST', '/Plugins', { UniqueName: 'twice' })).toMatchObject({ status: 409 });
    const again = await call('POST', '/Plugins/twice/Versions', { Version: '1.0.0', PluginUrl: 'https://e.com/x.js' });
    expect(again.status).toBe(409);
  });

  it('checks a version is semantic and its URL a URL (the spec)', async () => {
    await call('POST', '/Plugins', { UniqueName: 'checked' });
    expect(
      (await call('POST', '/Plugins/checked/Versions', { Version: 'one', PluginUrl: 'https://e.com/x.js' })).status,
    ).toBe(400);
    expect((await call('POST', '/Plugins/checked/Versions', { Version: '1.0.0', PluginUrl: 'not a url' })).status).toBe(
      400,
    );
    await control(emulator, 'DELETE', '/violations');
  });

  it('refuses a configuration naming an unknown version, or two versions of one plugin', async () => {
    const first = await newVersion('one', '1.0.0');
    const second = (
      await call('POST', '/Plugins/one/Versions', { Version: '1.0.1', PluginUrl: 'https://e.com/one.js' })
    ).json.sid as string;
    const configuration = (plugins: string[]) =>
      call('POST', '/Configurations', {
        Name: 'c',
        Plugins: plugins.map((sid) => JSON.stringify({ plugin_version: sid })),
      });
    expect((await configuration(['FV00000000000000000000000000000000'])).status).toBe(404);
    expect((await configuration([first, second])).status).toBe(400);
    expect((await configuration([second])).status).toBe(201);
  });

  it('seeds a customer release through the control API, the latest release being the active one', async () => {
    const seeded = await controlOk<{ releaseSid: string; configurationSid: string }>(
      emulator,
      'POST',
      '/flex/plugins/release',
      { plugins: [{ uniqueName: 'crm', version: '2.0.0', pluginUrl: 'https://e.com/crm.js', phase: 4 }] },
    );
    expect((await call('GET', '/Releases/Active')).json).toMatchObject({
      sid: seeded.releaseSid,
      configuration_sid: seeded.configurationSid,
    });
    const { json } = await call('GET', `/Configurations/${seeded.configurationSid}/Plugins`);
    expect(json.plugins).toEqual([expect.objectContaining({ unique_name: 'crm', version: '2.0.0', phase: 4 })]);
    expect((await control(emulator, 'POST', '/flex/plugins/release', { plugins: [] })).status).toBe(400);
  });
});
