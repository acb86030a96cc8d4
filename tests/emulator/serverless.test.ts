/**
 * The Serverless API as a deploy meets it: what twilio-run sends is accepted, what Twilio refuses is refused with
 * its status and code, and the control route reports what an environment runs.
 */
import { startEmulator, type RunningEmulator } from '../../emulator';
import { control, serverlessUpload, twilioRequest } from '../../emulator/testing';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON navigated freely in assertions
type Json = Record<string, any>;

async function call(method: string, path: string, form?: Record<string, string | string[]>) {
  const response = await twilioRequest(emulator, method, `/serverless/v1${path}`, form);
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as Json };
}

async function created(path: string, form: Record<string, string | string[]>): Promise<Json> {
  const { status, json } = await call('POST', path, form);
  expect({ status, json }).toEqual({ status: 201, json: expect.any(Object) });
  return json;
}

async function newService(uniqueName: string) {
  const service = await created('/Services', { UniqueName: uniqueName, FriendlyName: uniqueName });
  return { sid: service.sid as string, path: `/Services/${service.sid}` };
}

async function upload(servicePath: string, kind: 'Functions' | 'Assets', Path: string, Visibility = 'private') {
  const resource = await created(`${servicePath}/${kind}`, { FriendlyName: Path });
  const response = await serverlessUpload(emulator, `${servicePath}/${kind}/${resource.sid}/Versions`, {
    Path,
    Visibility,
    content: `// ${Path}`,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as Json).sid as string;
}

it("accepts the environment name twilio-run sends, which Twilio's spec does not declare, and no other", async () => {
  const service = await newService('names');
  const environment = await created(`${service.path}/Environments`, {
    UniqueName: 'dev-environment',
    DomainSuffix: 'dev',
    FriendlyName: 'dev-environment Environment (Created by CLI)',
  });
  expect(environment.domain_name).toMatch(/^names-\d{4}-dev\.twil\.io$/);
  const other = await call('POST', `${service.path}/Environments`, { UniqueName: 'x', Color: 'blue' });
  expect(other).toMatchObject({ status: 400, json: { code: 20001 } });
  expect(await call('POST', `${service.path}/Environments`, { UniqueName: 'dev-environment' })).toMatchObject({
    status: 409,
  });
  expect(await call('POST', '/Services', { UniqueName: 'names', FriendlyName: 'again' })).toMatchObject({
    status: 409,
  });
  await control(emulator, 'DELETE', '/violations');
});

it('checks uploads: multipart, a path, a visibility and a file, for an existing function', async () => {
  const service = await newService('uploads');
  const fn = await created(`${service.path}/Functions`, { FriendlyName: '/f' });
  const versions = `${service.path}/Functions/${fn.sid}/Versions`;
  const refused = async (fields: { Path: string; Visibility: string }, path = versions) => {
    const response = await serverlessUpload(emulator, path, { ...fields, content: 'x' });
    return { status: response.status, code: ((await response.json()) as Json).code as number };
  };
  expect(await refused({ Path: '/f', Visibility: 'secret' })).toEqual({ status: 400, code: 20001 });
  expect(await refused({ Path: 'f', Visibility: 'public' })).toEqual({ status: 400, code: 20001 });
  expect(
    await refused({ Path: '/f', Visibility: 'public' }, `${service.path}/Functions/ZH${'0'.repeat(32)}/Versions`),
  ).toEqual({
    status: 404,
    code: 20404,
  });
  const form = await twilioRequest(emulator, 'POST', `/serverless-upload/v1${versions}`, { Path: '/f' });
  expect(form.status).toBe(400);
});

it('builds only its own versions, distinct paths, at most 50 private assets, with readable dependencies', async () => {
  const service = await newService('builds');
  const other = await newService('other');
  const fn = await upload(service.path, 'Functions', '/f', 'public');
  const foreign = await upload(other.path, 'Functions', '/g', 'public');
  const twice = await upload(service.path, 'Functions', '/f', 'public');
  const builds = `${service.path}/Builds`;

  expect(await call('POST', builds, { FunctionVersions: [foreign] })).toMatchObject({ status: 400 });
  expect(await call('POST', builds, { FunctionVersions: [fn, twice] })).toMatchObject({ status: 400 });
  expect(await call('POST', builds, { FunctionVersions: [fn], Dependencies: 'twilio@5' })).toMatchObject({
    status: 400,
  });
  expect(await call('POST', builds, { FunctionVersions: [fn], Runtime: 'node99' })).toMatchObject({
    status: 400,
    json: { code: 20001 },
  });
  const assets = await Promise.all(
    Array.from({ length: 51 }, (_, index) => upload(service.path, 'Assets', `/a${index}.js`)),
  );
  expect(await call('POST', builds, { AssetVersions: assets })).toMatchObject({
    status: 400,
    json: { message: 'A Build holds at most 50 private Assets, not 51' },
  });

  // twilio-run wraps the dependencies' JSON in double quotes.
  const dependencies = `"${JSON.stringify([{ name: 'zod', version: '4.6.7' }])}"`;
  const build = await created(builds, {
    FunctionVersions: [fn],
    AssetVersions: assets.slice(1),
    Dependencies: dependencies,
  });
  expect(build.dependencies).toEqual([{ name: 'zod', version: '4.6.7' }]);
  const environment = await created(`${service.path}/Environments`, { UniqueName: 'production' });
  const deployments = `${service.path}/Environments/${environment.sid}/Deployments`;
  expect(await call('POST', deployments, { BuildSid: `ZB${'0'.repeat(32)}` })).toMatchObject({ status: 404 });
  await created(deployments, { BuildSid: build.sid });

  const report = await control<Json>(emulator, 'GET', '/serverless/services/builds/environments/production');
  expect(report.json.build).toMatchObject({
    sid: build.sid,
    status: 'completed',
    runtime: 'node22',
    dependencies: { zod: '4.6.7' },
    functions: [{ path: '/f', visibility: 'public', size: 5 }],
  });
  expect((report.json.build as { assets: unknown[] }).assets).toHaveLength(50);
  expect((await control(emulator, 'GET', '/serverless/services/builds/environments/staging')).status).toBe(404);
  await control(emulator, 'DELETE', '/violations');
});

it("keeps one variable per key, within Twilio's sizes", async () => {
  const service = await newService('variables');
  const environment = await created(`${service.path}/Environments`, { UniqueName: 'production' });
  const variables = `${service.path}/Environments/${environment.sid}/Variables`;
  const variable = await created(variables, { Key: 'COMPANY_NAME', Value: 'Acme' });
  expect(await call('POST', variables, { Key: 'COMPANY_NAME', Value: 'Other' })).toMatchObject({ status: 409 });
  expect(await call('POST', variables, { Key: 'LONG', Value: 'x'.repeat(451) })).toMatchObject({ status: 400 });
  expect(await call('DELETE', `${variables}/${variable.sid}`)).toMatchObject({ status: 204 });
  expect(await call('GET', `${variables}/${variable.sid}`)).toMatchObject({ status: 404, json: { code: 20404 } });
});
