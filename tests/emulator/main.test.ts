import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const account = { sid: `AC${'1'.repeat(32)}`, authToken: '2'.repeat(32) };

it('runs from the command line, prints its URL and seeded SIDs as JSON, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '../../emulator/main.ts')], {
    env: { ...process.env, EMULATOR_PORT: '0', ACCOUNT_SID: account.sid, AUTH_TOKEN: account.authToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const printed = JSON.parse(line) as { url: string; accountSid: string };
    expect(printed).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      accountSid: account.sid,
      phoneNumber: '+15005550006',
      syncServiceSid: expect.stringMatching(/^IS[0-9a-f]{32}$/),
      conversationsServiceSid: expect.stringMatching(/^IS[0-9a-f]{32}$/),
      workspaceSid: expect.stringMatching(/^WS[0-9a-f]{32}$/),
      workflowSid: expect.stringMatching(/^WW[0-9a-f]{32}$/),
      taskQueueSid: expect.stringMatching(/^WQ[0-9a-f]{32}$/),
      workerSid: expect.stringMatching(/^WK[0-9a-f]{32}$/),
    });
    expect(await (await fetch(`${printed.url}/__emulator/account`)).json()).toEqual(printed);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
});
