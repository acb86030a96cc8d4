import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { control, sdkClient, twilioRequest } from '../../emulator/testing';
import type { Violation, WebhookLogEntry } from '../../emulator/store';
import { WebhookReceiver } from './webhook-receiver';

let emulator: RunningEmulator;
let client: TwilioClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  emulator = await startEmulator({
    smsUrl: `${receiver.url}/sms`,
    taskrouterEventsUrl: `${receiver.url}/taskrouter`,
    conversationsWebhookUrl: `${receiver.url}/conversations`,
  });
  receiver.authToken = emulator.account.authToken;
  client = sdkClient(emulator);
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => receiver.clear());

let counter = 0;
const newContact = () => `+1415557${String(++counter).padStart(4, '0')}`;
const idle = () => control(emulator, 'GET', '/idle');
const conversations = () => client.conversations.v1.services(emulator.conversationsServiceSid).conversations;
const workspace = () => client.taskrouter.v1.workspaces(emulator.workspaceSid);
const taskEvents = () => receiver.at('/taskrouter').map((d) => d.params);

async function play<T = Record<string, string>>(route: string, body: unknown): Promise<T> {
  const { status, json } = await control<T>(emulator, 'POST', `/flex/${route}`, body);
  expect({ route, status }).toEqual({ route, status: 200 });
  return json;
}

/** What the app does: a conversation with the contact in it, then a Flex interaction on it. */
async function handOff(contact = newContact(), attributes: Record<string, unknown> = {}) {
  const conversation = await conversations().create({ uniqueName: `handoff-${++counter}` });
  await conversations()(conversation.sid).participants.create({
    'messagingBinding.address': contact,
    'messagingBinding.proxyAddress': emulator.phoneNumber,
  });
  const interaction = await client.flexApi.v1.interaction.create({
    channel: { type: 'sms', initiated_by: 'customer', properties: { media_channel_sid: conversation.sid } },
    routing: {
      properties: {
        workspace_sid: emulator.workspaceSid,
        workflow_sid: emulator.workflowSid,
        task_channel_unique_name: 'sms',
        attributes: { from: contact, handedOff: true, ...attributes },
      },
    },
  });
  await idle();
  const created = taskEvents().find(
    (e) => e.EventType === 'task.created' && e.TaskAttributes.includes(conversation.sid),
  );
  if (!created) throw new Error('no task.created');
  return { contact, conversation, interaction, taskSid: created.TaskSid };
}

describe('Flex Interactions', () => {
  it('answers at once, then routes a task with Flex attributes and signed task.created, task-queue.entered', async () => {
    const { contact, conversation, interaction, taskSid } = await handOff(undefined, { handoffReason: 'asked' });
    expect(interaction.sid).toMatch(/^KD[0-9a-f]{32}$/);
    const channelSid = (interaction.channel as { sid: string }).sid;
    expect(channelSid).toMatch(/^UO[0-9a-f]{32}$/);

    const deliveries = receiver.at('/taskrouter');
    expect(deliveries.every((d) => d.signatureValid)).toBe(true);
    const [created, entered] = deliveries.map((d) => d.params);
    expect([created.EventType, entered.EventType]).toEqual(['task.created', 'task-queue.entered']);
    expect(created).toMatchObject({
      AccountSid: emulator.account.sid,
      WorkspaceSid: emulator.workspaceSid,
      WorkspaceName: 'Flex Task Assignment',
      ResourceType: 'task',
      ResourceSid: taskSid,
      Sid: expect.stringMatching(/^EV[0-9a-f]{32}$/),
      Timestamp: expect.stringMatching(/^\d{10}$/),
      TimestampMs: expect.stringMatching(/^\d{13}$/),
      TaskAssignmentStatus: 'pending',
      TaskQueueSid: emulator.taskQueueSid,
      TaskQueueName: 'Everyone',
      TaskChannelUniqueName: 'sms',
      WorkflowSid: emulator.workflowSid,
      WorkflowName: 'Assign to Anyone',
      TaskAge: '0',
      TaskPriority: '0',
    });
    expect(JSON.parse(created.TaskAttributes)).toEqual({
      from: contact,
      handedOff: true,
      handoffReason: 'asked',
      conversationSid: conversation.sid,
      channelType: 'sms',
      initiatedBy: 'customer',
      direction: 'inbound',
      flexInteractionSid: interaction.sid,
      flexInteractionChannelSid: channelSid,
      conversations: {
        conversation_id: interaction.sid,
        initiated_by: 'Customer',
        communication_channel: 'Sms',
        media: [{ conversation_sid: conversation.sid }],
        direction: 'Inbound',
      },
    });

    const tasks = await workspace().tasks.list({ evaluateTaskAttributes: `conversationSid == "${conversation.sid}"` });
    expect(tasks.map((t) => [t.sid, t.assignmentStatus, t.taskQueueFriendlyName])).toEqual([
      [taskSid, 'pending', 'Everyone'],
    ]);
    expect((await client.flexApi.v1.interaction(interaction.sid).fetch()).channel).toMatchObject({ sid: channelSid });
    const [channel] = await client.flexApi.v1.interaction(interaction.sid).channels.list();
    expect(channel).toMatchObject({ sid: channelSid, status: 'active', type: 'sms' });
  });

  it("merges what Flex puts in `conversations` with the routing attributes' own keys", async () => {
    const { interaction, conversation, taskSid } = await handOff(undefined, {
      conversations: { preceded_by: 'Bot', conversation_attribute_8: 'frustrated', media: 'not ours to set' },
    });
    const task = await workspace().tasks(taskSid).fetch();
    expect((JSON.parse(task.attributes) as { conversations: unknown }).conversations).toEqual({
      preceded_by: 'Bot',
      conversation_attribute_8: 'frustrated',
      conversation_id: interaction.sid,
      initiated_by: 'Customer',
      communication_channel: 'Sms',
      media: [{ conversation_sid: conversation.sid }],
      direction: 'Inbound',
    });
  });

  it('refuses unknown or closed conversations and routing outside the workspace', async () => {
    const create = (mediaChannelSid: string, workflowSid = emulator.workflowSid) =>
      client.flexApi.v1.interaction.create({
        channel: { type: 'sms', initiated_by: 'customer', properties: { media_channel_sid: mediaChannelSid } },
        routing: { properties: { workspace_sid: emulator.workspaceSid, workflow_sid: workflowSid, attributes: {} } },
      });
    await expect(create(`CH${'0'.repeat(32)}`)).rejects.toMatchObject({ status: 404, code: 20404 });
    const closed = await conversations().create({});
    await conversations()(closed.sid).update({ state: 'closed' });
    await expect(create(closed.sid)).rejects.toMatchObject({ status: 400, code: 45354 });
    const open = await conversations().create({});
    await expect(create(open.sid, `WW${'0'.repeat(32)}`)).rejects.toMatchObject({ status: 400 });
  });

  it('shows a failed interaction as a task created then canceled', async () => {
    await control(emulator, 'POST', '/flex/fail-next-interaction');
    const { interaction, taskSid } = await handOff();
    expect(taskEvents().map((e) => e.EventType)).toEqual(['task.created', 'task-queue.entered', 'task.canceled']);
    expect(taskEvents()[2]).toMatchObject({
      TaskSid: taskSid,
      TaskAssignmentStatus: 'canceled',
      TaskCanceledReason: expect.any(String),
    });
    const [channel] = await client.flexApi.v1.interaction(interaction.sid).channels.list();
    expect(channel).toMatchObject({ status: 'failed', errorCode: 45770 });
  });

  it('closing the channel closes the conversation and wraps up the task; Routing closed completes it', async () => {
    for (const routing of [undefined, { status: 'closed' }]) {
      receiver.clear();
      const { contact, conversation, interaction, taskSid } = await handOff();
      await play('accept', { taskSid });
      const channelSid = (interaction.channel as { sid: string }).sid;
      const close = () =>
        client.flexApi.v1.interaction(interaction.sid).channels(channelSid).update({ status: 'closed', routing });
      expect((await close()).status).toBe('closed');
      await idle();
      expect((await conversations()(conversation.sid).fetch()).state).toBe('closed');
      expect(
        receiver
          .at('/conversations')
          .map((d) => d.params.StateTo)
          .filter(Boolean),
      ).toEqual(['closed']);
      expect(taskEvents().at(-1)?.EventType).toBe(routing ? 'task.completed' : 'task.wrapup');
      expect((await workspace().tasks(taskSid).fetch()).assignmentStatus).toBe(routing ? 'completed' : 'wrapping');
      // The contact's number is free for the next handoff; closing again changes nothing.
      const events = receiver.deliveries.length;
      expect((await close()).status).toBe('closed');
      await handOff(contact);
      expect(receiver.deliveries.slice(events).map((d) => d.params.EventType)).toEqual([
        'task.created',
        'task-queue.entered',
      ]);
    }
  });
});

describe('playing the rep', () => {
  it('lists the tasks as the desk shows them, and declining puts the task back in the queue', async () => {
    const { contact, conversation, taskSid } = await handOff();
    const listed = await control<
      { sid: string; assignmentStatus: string; conversationSid: string; attributes: object }[]
    >(emulator, 'GET', '/flex/tasks');
    expect(listed.json[0]).toMatchObject({
      sid: taskSid,
      assignmentStatus: 'pending',
      conversationSid: conversation.sid,
      attributes: { from: contact, handedOff: true },
    });
    receiver.clear();

    await expect(play('decline', { taskSid })).resolves.toMatchObject({ assignmentStatus: 'pending' });
    await idle();
    expect(taskEvents().map((e) => e.EventType)).toEqual(['reservation.created', 'reservation.rejected']);
    expect((await workspace().tasks(taskSid).fetch()).assignmentStatus).toBe('pending');
    await play('accept', { taskSid });
  });

  it("shows a phone's texts both ways, media included", async () => {
    const contact = newContact();
    const png = Buffer.from('89504e47', 'hex').toString('base64');
    await control(emulator, 'POST', '/sms', {
      from: contact,
      body: 'photo',
      media: [{ contentType: 'image/png', base64: png }],
    });
    await client.messages.create({ from: emulator.phoneNumber, to: contact, body: 'thanks' });
    const texts = await control<{ direction: string; body: string; media: string[] }[]>(
      emulator,
      'GET',
      `/texts?with=${encodeURIComponent(contact)}`,
    );
    expect(texts.json).toMatchObject([
      {
        direction: 'inbound',
        body: 'photo',
        media: [expect.stringMatching(/^https:\/\/api\.twilio\.com\/.*\/Media\/ME/)],
      },
      { direction: 'outbound-api', body: 'thanks', media: [] },
    ]);
    expect((await control(emulator, 'GET', '/texts')).status).toBe(400);
  });

  it('accepts, replies by SMS with media, edits the task, and completes', async () => {
    const { contact, conversation, taskSid } = await handOff();
    receiver.clear();

    const accepted = await play('accept', { taskSid });
    expect(accepted).toMatchObject({ workerSid: emulator.workerSid, identity: 'alice_rep' });
    const png = Buffer.from('89504e47', 'hex');
    await play('reply', {
      taskSid,
      body: 'Hi, Alice here',
      media: [{ contentType: 'image/png', base64: png.toString('base64') }],
    });
    await play('update-attributes', { taskSid, attributes: { flex_order_id: 'A-1' } });
    await play('complete', { taskSid });
    await idle();

    expect(taskEvents().map((e) => e.EventType)).toEqual([
      'reservation.created',
      'reservation.accepted',
      'task.updated',
      'task.wrapup',
      'task.completed',
    ]);
    expect(taskEvents()[1]).toMatchObject({
      ResourceType: 'reservation',
      ReservationSid: accepted.reservationSid,
      WorkerSid: emulator.workerSid,
      WorkerName: 'Alice Rep',
      TaskAssignmentStatus: 'assigned',
    });
    expect(JSON.parse(taskEvents()[2].TaskAttributes)).toMatchObject({ handedOff: true, flex_order_id: 'A-1' });
    expect(taskEvents()[4].TaskCompletedReason).toEqual(expect.any(String));

    const conversationEvents = receiver.at('/conversations').map((d) => d.params);
    expect(conversationEvents.map((e) => e.EventType)).toEqual([
      'onParticipantAdded',
      'onMessageAdded',
      'onConversationStateUpdated',
    ]);
    expect(conversationEvents[0]).toMatchObject({ Identity: 'alice_rep' });
    expect(conversationEvents[1]).toMatchObject({ Author: 'alice_rep', Body: 'Hi, Alice here', Source: 'SDK' });
    expect(JSON.parse(conversationEvents[1].Media)).toEqual([
      { Sid: expect.stringMatching(/^ME/), ContentType: 'image/png', Filename: null, Size: png.length },
    ]);
    expect(conversationEvents[2]).toMatchObject({ StateFrom: 'active', StateTo: 'closed' });

    const outbound = await control<{ body: string; media: string[]; source: string }[]>(
      emulator,
      'GET',
      `/outbound?to=${encodeURIComponent(contact)}`,
    );
    expect(outbound.json).toEqual([
      expect.objectContaining({
        body: 'Hi, Alice here',
        source: 'conversations',
        media: [expect.stringMatching(/^https:\/\/mcs\.us1\.twilio\.com\/v1\/Services\/IS\w+\/Media\/ME\w+\/Content$/)],
      }),
    ]);
    const transcript = await control<{ author: string; source: string }[]>(
      emulator,
      'GET',
      `/conversations/${conversation.sid}/messages`,
    );
    expect(transcript.json.map((m) => [m.author, m.source])).toEqual([['alice_rep', 'SDK']]);
  });

  it('cancels, times out and deletes tasks with their events', async () => {
    const canceled = await handOff();
    const timedOut = await handOff();
    const deleted = await handOff();
    receiver.clear();
    await play('cancel', { taskSid: canceled.taskSid, reason: 'nobody home' });
    await play('timeout', { taskSid: timedOut.taskSid });
    await play('delete', { taskSid: deleted.taskSid });
    await idle();
    expect(taskEvents().map((e) => [e.EventType, e.TaskSid])).toEqual([
      ['task.canceled', canceled.taskSid],
      ['workflow.timeout', timedOut.taskSid],
      ['task.canceled', timedOut.taskSid],
      ['task.deleted', deleted.taskSid],
    ]);
    expect(taskEvents()[0].TaskCanceledReason).toBe('nobody home');
    expect((await control(emulator, 'POST', '/flex/cancel', { taskSid: canceled.taskSid })).status).toBe(409);
  });
});

describe('TaskRouter', () => {
  it('seeds the Flex workspace, workflow, queue, task channels and worker', async () => {
    expect(await workspace().fetch()).toMatchObject({
      friendlyName: 'Flex Task Assignment',
      eventCallbackUrl: `${receiver.url}/taskrouter`,
    });
    expect((await workspace().taskChannels.list()).map((c) => c.uniqueName).sort()).toEqual([
      'chat',
      'default',
      'sms',
      'voice',
    ]);
    expect((await workspace().taskChannels('sms').fetch()).sid).toMatch(/^TC/);
    expect((await workspace().taskQueues(emulator.taskQueueSid).fetch()).friendlyName).toBe('Everyone');
    expect(await workspace().workers(emulator.workerSid).fetch()).toMatchObject({
      friendlyName: 'Alice Rep',
      available: true,
    });
    const workflow = await workspace().workflows(emulator.workflowSid).fetch();
    expect(JSON.parse(workflow.configuration)).toMatchObject({
      task_routing: {
        filters: [{ expression: 'handedOff == true' }],
        default_filter: { queue: emulator.taskQueueSid },
      },
    });
  });

  it('routes by the workflow filters, lists with EvaluateTaskAttributes, and guards updates with If-Match', async () => {
    const vip = await workspace().taskQueues.create({ friendlyName: 'VIP' });
    await workspace()
      .workflows(emulator.workflowSid)
      .update({
        configuration: JSON.stringify({
          task_routing: {
            filters: [
              { expression: 'tier IN ["gold", "platinum"] AND handedOff == true', targets: [{ queue: vip.sid }] },
            ],
            default_filter: { queue: emulator.taskQueueSid },
          },
        }),
      });
    const gold = await handOff(undefined, { tier: 'gold' });
    const plain = await handOff(undefined, { tier: 'bronze' });
    const queueOf = async (sid: string) => (await workspace().tasks(sid).fetch()).taskQueueSid;
    expect([await queueOf(gold.taskSid), await queueOf(plain.taskSid)]).toEqual([vip.sid, emulator.taskQueueSid]);
    const listed = await workspace().tasks.list({
      evaluateTaskAttributes: `(tier == "gold" OR tier == "silver") and from == "${gold.contact}"`,
      assignmentStatus: ['pending', 'reserved'],
    });
    expect(listed.map((t) => t.sid)).toEqual([gold.taskSid]);
    await expect(workspace().tasks.list({ evaluateTaskAttributes: 'tier ==' })).rejects.toMatchObject({ status: 400 });

    const path = `/taskrouter/v1/Workspaces/${emulator.workspaceSid}/Tasks/${gold.taskSid}`;
    const fetched = await twilioRequest(emulator, 'GET', path);
    const etag = fetched.headers.get('etag');
    expect(etag).toMatch(/^\d+$/);
    const update = (ifMatch: string) =>
      fetch(`${emulator.url}${path}`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${emulator.account.sid}:${emulator.account.authToken}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'If-Match': ifMatch,
        },
        body: new URLSearchParams({ Attributes: '{"tier":"platinum"}' }),
      });
    const stale = await update(`${Number(etag) + 1}`);
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { code: number }).code).toBe(20412);
    const fresh = await update(etag!);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe(String(Number(etag) + 1));

    await expect(workspace().tasks(gold.taskSid).update({ assignmentStatus: 'completed' })).rejects.toMatchObject({
      status: 400,
    });
    expect(
      (await workspace().tasks(gold.taskSid).update({ assignmentStatus: 'canceled', reason: 'test' })).reason,
    ).toBe('test');
    await expect(
      workspace().workflows(emulator.workflowSid).update({ configuration: '{"task_routing":{}}' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('sends only the events in EventsFilter', async () => {
    const { taskSid } = await handOff();
    await workspace().update({ eventsFilter: 'task.canceled,task.deleted' });
    receiver.clear();
    await play('accept', { taskSid });
    await play('cancel', { taskSid });
    await idle();
    expect(taskEvents().map((e) => e.EventType)).toEqual(['task.canceled']);
    expect((await workspace().update({ eventsFilter: '' })).eventsFilter).toBeNull();
  });

  it('holds events back and releases them in reverse, for out-of-order tests', async () => {
    const { taskSid } = await handOff();
    receiver.clear();
    await control(emulator, 'POST', '/taskrouter/hold');
    await play('accept', { taskSid });
    await play('complete', { taskSid });
    await idle();
    expect(taskEvents()).toEqual([]);
    expect((await control(emulator, 'POST', '/taskrouter/release', { order: 'reverse' })).json).toEqual({
      released: 4,
    });
    await idle();
    expect(taskEvents().map((e) => e.EventType)).toEqual([
      'task.completed',
      'task.wrapup',
      'reservation.accepted',
      'reservation.created',
    ]);
  });
});

describe('webhook control routes', () => {
  it('re-sends a logged webhook as it was, and sends any signed webhook', async () => {
    await handOff();
    const log = (await control<WebhookLogEntry[]>(emulator, 'GET', '/webhooks')).json;
    const index = log.findIndex((entry) => entry.eventType === 'task.created');
    expect(log[index]).toMatchObject({ product: 'taskrouter', status: 204, params: { EventType: 'task.created' } });
    receiver.clear();
    expect((await control(emulator, 'POST', '/webhooks/resend', { index })).json).toMatchObject({ status: 204 });
    expect(receiver.at('/taskrouter')).toEqual([
      expect.objectContaining({ signatureValid: true, params: log[index].params }),
    ]);

    const foreign = { EventType: 'task.created', WorkspaceSid: `WS${'9'.repeat(32)}` };
    await control(emulator, 'POST', '/webhooks/send', {
      url: `${receiver.url}/taskrouter`,
      params: foreign,
      accountSid: `AC${'9'.repeat(32)}`,
    });
    await control(emulator, 'POST', '/webhooks/send', {
      url: `${receiver.url}/taskrouter`,
      params: foreign,
      authToken: 'another-account-token',
    });
    const [, signed, otherToken] = receiver.at('/taskrouter');
    expect(signed).toMatchObject({ signatureValid: true, params: { ...foreign, AccountSid: `AC${'9'.repeat(32)}` } });
    expect(otherToken.signatureValid).toBe(false);
    expect((await control(emulator, 'POST', '/webhooks/resend', { index: 10_000 })).status).toBe(404);
  });
});

it('made every request within Twilio specs', async () => {
  expect((await control<Violation[]>(emulator, 'GET', '/violations')).json).toEqual([]);
});
