import type { TwilioClient } from '../../assets/twilio/gateway.private';
import type { RunningEmulator } from '../../emulator';
import { FakeClock, sdkClient, sdkClientWithoutRetry, startEmulatorWithClock } from '../../emulator/testing';

const clock = new FakeClock();
let emulator: RunningEmulator;
let client: TwilioClient;

beforeAll(async () => {
  emulator = await startEmulatorWithClock(clock);
  client = sdkClient(emulator);
});
afterAll(() => emulator.close());

const service = () => client.sync.v1.services(emulator.syncServiceSid);
let mapCounter = 0;
const newMap = (options: { ttl?: number } = {}) =>
  service().syncMaps.create({ uniqueName: `map-${++mapCounter}`, ...options });

describe('Sync services', () => {
  it('creates, fetches and lists services; the seeded one exists', async () => {
    const created = await client.sync.v1.services.create({ friendlyName: 'Handoff', aclEnabled: true });
    expect(created.sid).toMatch(/^IS[0-9a-f]{32}$/);
    expect(await client.sync.v1.services(created.sid).fetch()).toMatchObject({
      friendlyName: 'Handoff',
      aclEnabled: true,
    });
    const sids = (await client.sync.v1.services.list()).map((s) => s.sid);
    expect(sids).toEqual(expect.arrayContaining([emulator.syncServiceSid, created.sid]));
  });

  it('answers 404/20404 for an unknown service', async () => {
    await expect(client.sync.v1.services(`IS${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
  });
});

describe('Sync maps', () => {
  it('creates a map and fetches, updates and deletes it by SID or unique name', async () => {
    const map = await newMap();
    expect(map.sid).toMatch(/^MP[0-9a-f]{32}$/);
    expect((await service().syncMaps(map.uniqueName).fetch()).sid).toBe(map.sid);
    const updated = await service().syncMaps(map.sid).update({ ttl: 60 });
    expect(updated.dateExpires).toEqual(new Date(clock.now() + 60_000));
    expect(updated.revision).toBe('1');
    await service().syncMaps(map.uniqueName).remove();
    await expect(service().syncMaps(map.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('refuses a second map with the same unique name (409/54301)', async () => {
    const map = await newMap();
    await expect(service().syncMaps.create({ uniqueName: map.uniqueName })).rejects.toMatchObject({
      status: 409,
      code: 54301,
    });
  });

  it('lists maps across pages', async () => {
    const { sid } = await client.sync.v1.services.create({ friendlyName: 'paging' });
    for (let i = 0; i < 5; i++) await client.sync.v1.services(sid).syncMaps.create({ uniqueName: `m${i}` });
    const maps = await client.sync.v1.services(sid).syncMaps.list({ pageSize: 2 });
    expect(maps.map((m) => m.uniqueName)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('forgets an expired map and its items', async () => {
    const map = await newMap({ ttl: 10 });
    await map.syncMapItems().create({ key: 'k', data: {} });
    clock.advance(10_000);
    await expect(service().syncMaps(map.sid).fetch()).rejects.toMatchObject({ status: 404 });
    await expect(service().syncMaps(map.uniqueName).syncMapItems('k').fetch()).rejects.toMatchObject({ status: 404 });
  });
});

describe('Sync map items', () => {
  it('creates, fetches, updates and deletes an item, the revision changing on every write', async () => {
    const items = (await newMap()).syncMapItems();
    const created = await items.create({ key: 'contact', data: { name: 'Ada', tags: ['vip'] } });
    expect(created).toMatchObject({
      key: 'contact',
      revision: '0',
      data: { name: 'Ada', tags: ['vip'] },
      dateExpires: null,
    });
    const map = service().syncMaps(created.mapSid);
    expect((await map.syncMapItems('contact').fetch()).data).toEqual({ name: 'Ada', tags: ['vip'] });
    const updated = await map.syncMapItems('contact').update({ data: { name: 'Ada L.' } });
    expect(updated.revision).toBe('1');
    expect(updated.data).toEqual({ name: 'Ada L.' });
    await map.syncMapItems('contact').remove();
    await expect(map.syncMapItems('contact').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('applies an update or delete with If-Match only at the matching revision (412/54205)', async () => {
    const map = await newMap();
    await map.syncMapItems().create({ key: 'k', data: { n: 0 } });
    const item = service().syncMaps(map.sid).syncMapItems('k');
    await item.update({ data: { n: 1 }, ifMatch: '0' });
    await expect(item.update({ data: { n: 2 }, ifMatch: '0' })).rejects.toMatchObject({ status: 412, code: 54205 });
    await expect(item.remove({ ifMatch: '0' })).rejects.toMatchObject({ status: 412, code: 54205 });
    expect((await item.fetch()).data).toEqual({ n: 1 });
    await item.remove({ ifMatch: '1' });
  });

  it('refuses a duplicate key (409/54208)', async () => {
    const items = (await newMap()).syncMapItems();
    await items.create({ key: 'k', data: {} });
    await expect(items.create({ key: 'k', data: {} })).rejects.toMatchObject({ status: 409, code: 54208 });
  });

  it('takes data up to 16 KiB of JSON and refuses more (413/54006)', async () => {
    const items = (await newMap()).syncMapItems();
    const envelope = JSON.stringify({ s: '' }).length;
    await items.create({ key: 'max', data: { s: 'x'.repeat(16_384 - envelope) } });
    await expect(items.create({ key: 'over', data: { s: 'x'.repeat(16_385 - envelope) } })).rejects.toMatchObject({
      status: 413,
      code: 54006,
    });
  });

  it('refuses keys over 320 characters (54209) and data that is not an object (54206)', async () => {
    const items = (await newMap()).syncMapItems();
    await items.create({ key: 'k'.repeat(320), data: {} });
    await expect(items.create({ key: 'k'.repeat(321), data: {} })).rejects.toMatchObject({ status: 400, code: 54209 });
    await expect(items.create({ key: 'array', data: [1, 2] })).rejects.toMatchObject({ status: 400, code: 54206 });
  });

  it('expires an item after its TTL, and CollectionTtl extends the map', async () => {
    const map = service().syncMaps((await newMap({ ttl: 5 })).sid);
    await map.syncMapItems.create({ key: 'short', data: {}, itemTtl: 2 });
    await map.syncMapItems.create({ key: 'long', data: {}, collectionTtl: 60 });
    clock.advance(2_000);
    await expect(map.syncMapItems('short').fetch()).rejects.toMatchObject({ status: 404 });
    clock.advance(10_000);
    expect((await map.syncMapItems('long').fetch()).key).toBe('long');
  });

  it('lists items in key order with Order, From and Bounds, across pages', async () => {
    const map = await newMap();
    for (const key of ['d', 'a', 'c', 'e', 'b']) await map.syncMapItems().create({ key, data: { key } });
    const keys = async (params: object) =>
      (await map.syncMapItems().list({ pageSize: 2, ...params })).map((i) => i.key);
    expect(await keys({})).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await keys({ order: 'desc' })).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await keys({ from: 'c' })).toEqual(['c', 'd', 'e']);
    expect(await keys({ from: 'c', bounds: 'exclusive', order: 'desc' })).toEqual(['b', 'a']);
    const page = await map.syncMapItems().page({ pageSize: 2 });
    expect(page.nextPageUrl).toMatch(
      /^https:\/\/sync\.twilio\.com\/v1\/Services\/IS\w+\/Maps\/MP\w+\/Items\?PageSize=2&Page=1&PageToken=\w+$/,
    );
  });
});

describe('Sync rate limit', () => {
  it('answers 429/54009 past a burst of 200 writes on one map (items count against the map)', async () => {
    const map = await newMap();
    const raw = sdkClientWithoutRetry(emulator).sync.v1.services(emulator.syncServiceSid).syncMaps(map.sid);
    await raw.update({ ttl: 0 }); // a write to the map itself takes from the same bucket
    for (let i = 0; i < 199; i++) await raw.syncMapItems.create({ key: `k${i}`, data: { i } });
    await expect(raw.syncMapItems.create({ key: 'one-too-many', data: {} })).rejects.toMatchObject({
      status: 429,
      code: 54009,
    });
    clock.advance(50); // 20 writes/s: one token back after 50 ms
    await raw.syncMapItems.create({ key: 'after-refill', data: {} });
    await expect(raw.syncMapItems('k0').remove()).rejects.toMatchObject({ status: 429, code: 54009 });
  });

  it('allows an item over 10 KiB only 2 writes/s sustained', async () => {
    const map = await newMap();
    const raw = sdkClientWithoutRetry(emulator).sync.v1.services(emulator.syncServiceSid).syncMaps(map.sid);
    const big = { s: 'x'.repeat(11 * 1024) };
    await raw.syncMapItems.create({ key: 'big', data: big });
    for (let i = 1; i < 20; i++) await raw.syncMapItems('big').update({ data: big });
    await expect(raw.syncMapItems('big').update({ data: big })).rejects.toMatchObject({ status: 429, code: 54009 });
    await raw.syncMapItems.create({ key: 'small', data: {} }); // the map's own bucket still has room
    clock.advance(500);
    await raw.syncMapItems('big').update({ data: big });
  });
});
