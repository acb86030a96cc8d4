import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { findOperation, responseSchema } from '../../emulator/specs';
import { control, serverlessUpload, twilioRequest } from '../../emulator/testing';
import { createAjv } from '../../emulator/validation';

const ajv = createAjv();
let emulator: RunningEmulator;
let app: Server;

beforeAll(async () => {
  app = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<Response/>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  emulator = await startEmulator({ smsUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/sms` });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON navigated freely in assertions
type Json = Record<string, any>;

/** Calls the emulator and checks the JSON against the spec's response schema, every property required. */
async function specShaped<T = Json>(
  method: string,
  path: string,
  form?: Record<string, string | string[]>,
): Promise<T> {
  const response = await twilioRequest(emulator, method, path, form);
  expect(response.status).toBeLessThan(300);
  const body = (await response.json()) as T;
  const [, sub, ...rest] = path.split('?')[0].split('/');
  const match = findOperation(sub, method, `/${rest.join('/')}`);
  if (match.kind !== 'found') throw new Error(`${method} ${path} is not in the spec`);
  const validate = ajv.compile(responseSchema(match.handler, response.status) ?? {});
  validate(body);
  expect({ path, errors: validate.errors ?? [] }).toEqual({ path, errors: [] });
  return body;
}

describe('responses have the shapes of the spec response schemas', () => {
  it('Sync services, maps and items, and their lists', async () => {
    const services = '/sync/v1/Services';
    const service = await specShaped<{ url: string; sid: string; links: { maps: string } }>('POST', services, {
      FriendlyName: 'shapes',
    });
    expect(service.url).toBe(`https://sync.twilio.com/v1/Services/${service.sid}`);
    expect(service.links.maps).toBe(`${service.url}/Maps`);
    await specShaped('GET', services);
    await specShaped('GET', `${services}/${service.sid}`);

    const maps = `${services}/${service.sid}/Maps`;
    const map = await specShaped('POST', maps, { UniqueName: 'shapes', Ttl: '60' });
    expect(map.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await specShaped('POST', `${maps}/shapes`, { CollectionTtl: '120' });
    await specShaped('GET', `${maps}/${map.sid}`);
    const list = await specShaped('GET', `${maps}?PageSize=1`);
    expect(list.meta).toMatchObject({ key: 'maps', page: 0, page_size: 1, next_page_url: null });

    const items = `${maps}/${map.sid}/Items`;
    const item = await specShaped('POST', items, { Key: 'k 1', Data: '{"a":[1]}', ItemTtl: '30' });
    expect(item.url).toBe(`${map.url}/Items/k%201`);
    await specShaped('POST', `${items}/k%201`, { Data: '{"a":[2]}' });
    await specShaped('POST', items, { Key: 'k2', Data: '{}' });
    await specShaped('GET', `${items}/k2`);
    const page = await specShaped<{ meta: { next_page_url: string } }>('GET', `${items}?PageSize=1&Order=desc`);
    expect(page.meta.next_page_url).toMatch(/^https:\/\/sync\.twilio\.com\/.*PageToken=/);
    await specShaped('GET', page.meta.next_page_url.replace('https://sync.twilio.com', '/sync'));
  });

  it('Messages, Media and IncomingPhoneNumbers on API v2010', async () => {
    const account = `/api/2010-04-01/Accounts/${emulator.account.sid}`;
    const sent = await specShaped('POST', `${account}/Messages.json`, {
      To: '+14155550100',
      From: emulator.phoneNumber,
      Body: 'Hi',
    });
    expect(sent.date_created).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    await specShaped('GET', `${account}/Messages/${sent.sid}.json`);

    const png = Buffer.from('89504e47', 'hex').toString('base64');
    const { json } = await control<{ messageSid: string }>(emulator, 'POST', '/sms', {
      from: '+14155550100',
      media: [{ contentType: 'image/png', base64: png }],
    });
    const media = await specShaped<{ media_list: { sid: string }[] }>(
      'GET',
      `${account}/Messages/${json.messageSid}/Media.json`,
    );
    expect(media.media_list).toHaveLength(1);
    await specShaped('GET', `${account}/Messages/${json.messageSid}/Media/${media.media_list[0].sid}.json`);
    const messages = await specShaped('GET', `${account}/Messages.json?PageSize=1`);
    expect(messages).toMatchObject({
      start: 0,
      end: 0,
      page_size: 1,
      next_page_uri: expect.stringMatching(/^\/2010-04-01\//),
    });

    const numbers = await specShaped<{ incoming_phone_numbers: { sid: string }[] }>(
      'GET',
      `${account}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(emulator.phoneNumber)}`,
    );
    const number = numbers.incoming_phone_numbers[0];
    await specShaped('GET', `${account}/IncomingPhoneNumbers/${number.sid}.json`);
    await specShaped('POST', `${account}/IncomingPhoneNumbers/${number.sid}.json`, { SmsMethod: 'GET' });
  });

  it('Conversations services, conversations, messages and participants, on both route styles', async () => {
    const service = `/conversations/v1/Services/${emulator.conversationsServiceSid}`;
    await specShaped('GET', '/conversations/v1/Services');
    await specShaped('GET', service);
    await specShaped('GET', `${service}/Configuration/Webhooks`);
    await specShaped('GET', '/conversations/v1/Configuration');
    for (const base of [`${service}/Conversations`, '/conversations/v1/Conversations']) {
      const conversation = await specShaped('POST', base, {
        UniqueName: `shapes-${base.length}`,
        Attributes: '{}',
        'Timers.Closed': 'PT1H',
      });
      expect(conversation.timers).toEqual({ date_closed: expect.any(String) });
      await specShaped('GET', `${base}/shapes-${base.length}`);
      await specShaped('GET', `${base}?PageSize=1`);
      const participants = `${base}/${conversation.sid}/Participants`;
      const participant = await specShaped('POST', participants, {
        'MessagingBinding.Address': `+1415555${base.length}00`,
        'MessagingBinding.ProxyAddress': emulator.phoneNumber,
      });
      await specShaped('GET', `${participants}/${participant.sid}`);
      await specShaped('GET', participants);
      const messages = `${base}/${conversation.sid}/Messages`;
      const message = await specShaped('POST', messages, { Author: 'Ava', Body: 'Hi' });
      expect(message.delivery).toMatchObject({ total: 1, sent: 'all' });
      await specShaped('GET', `${messages}/${message.sid}`);
      await specShaped('GET', `${messages}?Order=desc`);
      await specShaped('POST', `${base}/${conversation.sid}`, { State: 'closed' });
    }
  });

  it('TaskRouter resources, and Flex interactions and their channels', async () => {
    const conversation = await specShaped('POST', '/conversations/v1/Conversations', {});
    const workspaceSid = emulator.workspaceSid;
    const interaction = await twilioRequest(emulator, 'POST', '/flex-api/v1/Interactions', {
      Channel: JSON.stringify({
        type: 'sms',
        initiated_by: 'customer',
        properties: { media_channel_sid: conversation.sid },
      }),
      Routing: JSON.stringify({ properties: { workspace_sid: workspaceSid, workflow_sid: emulator.workflowSid } }),
    });
    expect(interaction.status).toBe(201);
    const { sid, channel } = (await interaction.json()) as { sid: string; channel: { sid: string } };
    await specShaped('GET', `/flex-api/v1/Interactions/${sid}`);
    await specShaped('GET', `/flex-api/v1/Interactions/${sid}/Channels`);
    await control(emulator, 'GET', '/idle');
    await specShaped('GET', `/flex-api/v1/Interactions/${sid}/Channels/${channel.sid}/Participants`);
    await specShaped('POST', `/flex-api/v1/Interactions/${sid}/Channels/${channel.sid}`, { Status: 'closed' });

    const workspace = `/taskrouter/v1/Workspaces/${workspaceSid}`;
    await specShaped('GET', '/taskrouter/v1/Workspaces');
    await specShaped('POST', workspace, { EventsFilter: 'task.created' });
    await specShaped('GET', `${workspace}/Workflows`);
    await specShaped('GET', `${workspace}/Workflows/${emulator.workflowSid}`);
    await specShaped('POST', `${workspace}/TaskQueues`, { FriendlyName: 'Shapes' });
    await specShaped('GET', `${workspace}/TaskQueues`);
    await specShaped('POST', `${workspace}/TaskChannels`, { FriendlyName: 'Shapes', UniqueName: 'shapes' });
    await specShaped('GET', `${workspace}/TaskChannels/shapes`);
    await specShaped('GET', `${workspace}/Workers`);
    await specShaped('GET', `${workspace}/Workers/${emulator.workerSid}`);
    const task = await specShaped('POST', `${workspace}/Tasks`, {
      WorkflowSid: emulator.workflowSid,
      Attributes: '{"handedOff":true}',
    });
    await specShaped('GET', `${workspace}/Tasks?EvaluateTaskAttributes=handedOff%20%3D%3D%20true`);
    await control(emulator, 'POST', '/flex/accept', { taskSid: task.sid });
    const reservations = await specShaped<{ reservations: { sid: string }[] }>(
      'GET',
      `${workspace}/Tasks/${task.sid}/Reservations`,
    );
    await specShaped('GET', `${workspace}/Tasks/${task.sid}/Reservations/${reservations.reservations[0].sid}`);
    await specShaped('POST', `${workspace}/Tasks/${task.sid}`, { AssignmentStatus: 'wrapping' });
  });

  it('Flex plugins, their versions, configurations with their plugins, and releases', async () => {
    const base = '/flex-api/v1/PluginService';
    const plugin = await specShaped('POST', `${base}/Plugins`, { UniqueName: 'shapes-plugin' });
    await specShaped('GET', `${base}/Plugins`);
    await specShaped('GET', `${base}/Plugins/shapes-plugin`);
    const version = await specShaped('POST', `${base}/Plugins/${plugin.sid}/Versions`, {
      Version: '1.0.0',
      PluginUrl: 'https://example.com/plugin.js',
    });
    await specShaped('GET', `${base}/Plugins/${plugin.sid}/Versions`);
    await specShaped('GET', `${base}/Plugins/${plugin.sid}/Versions/${version.sid}`);
    const configuration = await specShaped('POST', `${base}/Configurations`, {
      Name: 'shapes',
      Plugins: [JSON.stringify({ plugin_version: version.sid, phase: 3 })],
    });
    await specShaped('GET', `${base}/Configurations`);
    await specShaped('GET', `${base}/Configurations/${configuration.sid}`);
    const plugins = await specShaped('GET', `${base}/Configurations/${configuration.sid}/Plugins`);
    expect(plugins.plugins).toEqual([
      expect.objectContaining({ plugin_version_sid: version.sid, unique_name: 'shapes-plugin', version: '1.0.0' }),
    ]);
    const release = await specShaped('POST', `${base}/Releases`, { ConfigurationId: configuration.sid });
    await specShaped('GET', `${base}/Releases`);
    expect(await specShaped('GET', `${base}/Releases/Active`)).toMatchObject({ sid: release.sid });
  });

  it('Serverless services, environments, functions and assets with their uploaded versions, builds, deployments, variables', async () => {
    const service = await specShaped('POST', '/serverless/v1/Services', {
      UniqueName: 'shapes',
      FriendlyName: 'shapes',
    });
    const base = `/serverless/v1/Services/${service.sid}`;
    await specShaped('GET', '/serverless/v1/Services');
    await specShaped('GET', `${base}`);
    const environment = await specShaped('POST', `${base}/Environments`, {
      UniqueName: 'dev-environment',
      DomainSuffix: 'dev',
    });
    await specShaped('GET', `${base}/Environments/${environment.sid}`);
    const fn = await specShaped('POST', `${base}/Functions`, { FriendlyName: '/hello' });
    const asset = await specShaped('POST', `${base}/Assets`, { FriendlyName: 'style.css' });
    await specShaped('GET', `${base}/Functions`);
    await specShaped('GET', `${base}/Assets/${asset.sid}`);
    const upload = async (path: string, fields: { Path: string; Visibility: string; content: string }) => {
      const response = await serverlessUpload(emulator, path, fields);
      expect(response.status).toBe(201);
      return (await response.json()) as Json;
    };
    const functionVersion = await upload(`/Services/${service.sid}/Functions/${fn.sid}/Versions`, {
      Path: '/hello',
      Visibility: 'protected',
      content: 'exports.handler = (context, event, callback) => callback(null, "hi");',
    });
    const assetVersion = await upload(`/Services/${service.sid}/Assets/${asset.sid}/Versions`, {
      Path: '/style.css',
      Visibility: 'public',
      content: 'body {}',
    });
    await specShaped('GET', `${base}/Functions/${fn.sid}/Versions/${functionVersion.sid}`);
    await specShaped('GET', `${base}/Assets/${asset.sid}/Versions`);
    const build = await specShaped('POST', `${base}/Builds`, {
      FunctionVersions: [functionVersion.sid],
      AssetVersions: [assetVersion.sid],
      Dependencies: JSON.stringify([{ name: 'twilio', version: '5.13.1' }]),
      Runtime: 'node22',
    });
    expect(build).toMatchObject({ status: 'building', runtime: 'node22' });
    expect(await specShaped('GET', `${base}/Builds/${build.sid}/Status`)).toMatchObject({ status: 'completed' });
    await specShaped('GET', `${base}/Builds/${build.sid}`);
    const environmentPath = `${base}/Environments/${environment.sid}`;
    const deployment = await specShaped('POST', `${environmentPath}/Deployments`, { BuildSid: build.sid });
    await specShaped('GET', `${environmentPath}/Deployments/${deployment.sid}`);
    expect(await specShaped('GET', environmentPath)).toMatchObject({ build_sid: build.sid });
    const variable = await specShaped('POST', `${environmentPath}/Variables`, { Key: 'COMPANY_NAME', Value: 'Acme' });
    await specShaped('POST', `${environmentPath}/Variables/${variable.sid}`, { Value: 'Acme Outfitters' });
    await specShaped('GET', `${environmentPath}/Variables`);
  });
});
