/**
 * /taskrouter/event as an Event Streams webhook sink (the route setup takes when another integration owns the
 * workspace's callback): CloudEvents JSON, signed as the emulator signs it (bodySHA256 in the URL), with the same
 * checks as the callback (signature, account, workspace) and the same idempotency. The stack's workspace
 * callback stays as it is (other test files share it), so the events are built from the real task here.
 */
import { sendWebhook } from '../../emulator/webhooks';
import { expectNoSpecViolations, newContactNumber, readContact, reply, stackEnv } from '../support/e2e';
import { idle, outboundTo, tasksOf } from '../support/flex';

expectNoSpecViolations();

const url = () => `${stackEnv().FUNCTIONS_URL}/taskrouter/event`;

/** A TaskRouter event as Event Streams carries it (TaskRouter.WDSEvent: the callback's fields under payload). */
function cloudEvent(eventType: string, payload: Record<string, string>, accountSid = stackEnv().ACCOUNT_SID) {
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${eventType}`,
    source: `https://taskrouter.twilio.com/v1/Workspaces/${stackEnv().FLEX_WORKSPACE_SID}`,
    id: `EZ${'0'.repeat(31)}${eventType.length % 10}`,
    dataschema: 'https://events-schemas.twilio.com/TaskRouter.WDSEvent/1',
    datacontenttype: 'application/json',
    time: new Date().toISOString(),
    data: {
      account_sid: accountSid,
      product_name: 'TaskRouter',
      payload: {
        eventtype: eventType,
        account_sid: accountSid,
        workspace_sid: stackEnv().FLEX_WORKSPACE_SID,
        ...payload,
      },
    },
  };
}

async function deliver(json: unknown, options: { authToken?: string; headers?: Record<string, string> } = {}) {
  const result = await sendWebhook(url(), {}, options.authToken ?? stackEnv().AUTH_TOKEN, {
    json,
    headers: options.headers,
  });
  return result.status;
}

async function handedOff(contact: string) {
  await reply(contact, 'I want to talk to a person');
  await idle();
  const session = (await readContact(contact))!.record.session!;
  expect(session.status).toBe('handed_off');
  const [task] = await tasksOf(contact);
  return { taskSid: task.sid, attributes: JSON.stringify(task.attributes) };
}

it('moves the session along from a batch of CloudEvents, once however often it is delivered', async () => {
  const contact = newContactNumber();
  const { taskSid, attributes } = await handedOff(contact);
  const task = { task_sid: taskSid, task_attributes: attributes };
  const batch = [
    cloudEvent('reservation.accepted', { ...task, worker_name: 'Stream Rep' }),
    cloudEvent('task.wrapup', task),
  ];
  expect(await deliver(batch)).toBe(204);
  const session = (await readContact(contact))!.record.session!;
  expect(session.status).toBe('closed');
  expect(session.handoff?.workerName).toBe('Stream Rep');

  // The same batch again, and one event alone (a sink without batching): nothing changes, nothing is sent.
  const before = (await outboundTo(contact)).length;
  expect(await deliver(batch)).toBe(204);
  expect(await deliver(cloudEvent('task.completed', task))).toBe(204);
  await idle();
  expect((await readContact(contact))!.record.session!.status).toBe('closed');
  expect(await outboundTo(contact)).toHaveLength(before);
});

it('refuses a bad signature, a body that does not match its hash and another account; ignores another workspace', async () => {
  const contact = newContactNumber();
  const { taskSid, attributes } = await handedOff(contact);
  const task = { task_sid: taskSid, task_attributes: attributes };
  const canceled = [cloudEvent('task.canceled', task)];

  expect(await deliver(canceled, { authToken: 'f'.repeat(32) })).toBe(403);
  // Signed for one body, sent with another: the URL's bodySHA256 no longer matches.
  const signedFor = cloudEvent('task.canceled', { ...task, task_sid: `WT${'1'.repeat(32)}` });
  const tampered = await fetch(`${url()}?bodySHA256=${'0'.repeat(64)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': 'bm90IGEgc2lnbmF0dXJl' },
    body: JSON.stringify([signedFor]),
  });
  expect(tampered.status).toBe(403);
  expect(await deliver([cloudEvent('task.canceled', task, `AC${'9'.repeat(32)}`)])).toBe(403);
  const elsewhere = cloudEvent('task.canceled', task);
  elsewhere.data.payload.workspace_sid = `WS${'9'.repeat(32)}`;
  expect(await deliver([elsewhere])).toBe(204);
  // Worker and queue events, and other products' events, pass through untouched.
  expect(
    await deliver([{ ...cloudEvent('worker.activity.update', {}), type: 'com.twilio.messaging.message.sent' }]),
  ).toBe(204);
  expect((await readContact(contact))!.record.session!.status).toBe('handed_off');
});
