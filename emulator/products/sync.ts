/**
 * Sync (sync.twilio.com/v1): Services, Maps and Map Items, with Twilio's TTLs, revisions and If-Match,
 * payload limits and per-object write rate limits.
 */
import { notFound, TwilioError } from '../errors';
import { v1Page } from '../paging';
import { type ApiRequest, type ApiResult, type ApiRoute, inputOf, type Product } from '../product';
import { type Rate, RateLimiter } from '../rate-limit';
import { isoDate, shape, snakeCaseKeys, twilioUrl } from '../resources';
import { newSid } from '../sid';
import type { Store } from '../store';

const SUB = 'sync';
const SERVICES = '/v1/Services';
const MAPS = '/v1/Services/{ServiceSid}/Maps';
const ITEMS = `${MAPS}/{MapSid}/Items`;
const MAX_DATA_BYTES = 16 * 1024;
const LARGE_OBJECT_BYTES = 10 * 1024;
const MAX_KEY_LENGTH = 320;
const MAX_UNIQUE_NAME_LENGTH = 256;
/** Per object, and writes to a Map's items count against the Map. */
const OBJECT_RATE: Rate = { perSecond: 20, burstSeconds: 10 };
const LARGE_OBJECT_RATE: Rate = { perSecond: 2, burstSeconds: 10 };

interface Timestamps {
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which the object is gone; null when it never expires. */
  expiresAt: number | null;
}

/** A service's settings, named as the parameters that set them. */
interface ServiceSettings {
  FriendlyName: string | null;
  WebhookUrl: string | null;
  WebhooksFromRestEnabled: boolean;
  ReachabilityWebhooksEnabled: boolean;
  AclEnabled: boolean;
  ReachabilityDebouncingEnabled: boolean;
  ReachabilityDebouncingWindow: number;
}

const SERVICE_DEFAULTS: ServiceSettings = {
  FriendlyName: null,
  WebhookUrl: null,
  WebhooksFromRestEnabled: false,
  ReachabilityWebhooksEnabled: false,
  AclEnabled: false,
  ReachabilityDebouncingEnabled: false,
  ReachabilityDebouncingWindow: 5000,
};

interface SyncService {
  sid: string;
  settings: ServiceSettings;
  createdAt: number;
  updatedAt: number;
  maps: Map<string, SyncMap>;
}

interface SyncMap extends Timestamps {
  sid: string;
  serviceSid: string;
  uniqueName: string | null;
  revision: number;
  items: Map<string, SyncMapItem>;
}

interface SyncMapItem extends Timestamps {
  key: string;
  data: object;
  revision: number;
}

interface TtlInput {
  Ttl?: number;
  CollectionTtl?: number;
}

interface ListItemsInput {
  Order?: 'asc' | 'desc';
  From?: string;
  Bounds?: 'inclusive' | 'exclusive';
}

interface ItemInput {
  Data?: unknown;
  Ttl?: number;
  ItemTtl?: number;
  CollectionTtl?: number;
}

export class SyncProduct implements Product {
  readonly sub = SUB;
  readonly problemCodes = { json: 54008 };
  readonly defaultServiceSid: string;
  private readonly services = new Map<string, SyncService>();
  private readonly limiter: RateLimiter;

  readonly routes: ApiRoute[] = [
    { method: 'POST', path: SERVICES, handler: (req) => this.createService(req) },
    { method: 'GET', path: SERVICES, handler: (req) => this.listServices(req) },
    { method: 'GET', path: `${SERVICES}/{Sid}`, handler: (req) => this.fetchService(req) },
    { method: 'POST', path: MAPS, handler: (req) => this.createMap(req) },
    { method: 'GET', path: MAPS, handler: (req) => this.listMaps(req) },
    { method: 'GET', path: `${MAPS}/{Sid}`, handler: (req) => this.fetchMap(req) },
    { method: 'POST', path: `${MAPS}/{Sid}`, handler: (req) => this.updateMap(req) },
    { method: 'DELETE', path: `${MAPS}/{Sid}`, handler: (req) => this.deleteMap(req) },
    { method: 'POST', path: ITEMS, handler: (req) => this.createItem(req) },
    { method: 'GET', path: ITEMS, handler: (req) => this.listItems(req) },
    { method: 'GET', path: `${ITEMS}/{Key}`, handler: (req) => this.fetchItem(req) },
    { method: 'POST', path: `${ITEMS}/{Key}`, handler: (req) => this.updateItem(req) },
    { method: 'DELETE', path: `${ITEMS}/{Key}`, handler: (req) => this.deleteItem(req) },
  ];

  constructor(private readonly store: Store) {
    this.limiter = new RateLimiter(store.clock);
    this.defaultServiceSid = this.addService({ FriendlyName: 'Default Service' }).sid;
  }

  reset(): void {
    for (const sid of this.services.keys()) if (sid !== this.defaultServiceSid) this.services.delete(sid);
    this.services.get(this.defaultServiceSid)?.maps.clear();
    this.limiter.reset();
  }

  // Services

  private createService(req: ApiRequest): ApiResult {
    return { status: 201, json: this.renderService(this.addService(inputOf<Partial<ServiceSettings>>(req))) };
  }

  private addService(settings: Partial<ServiceSettings>): SyncService {
    const now = this.store.clock.now();
    const service: SyncService = {
      sid: newSid('IS'),
      settings: { ...SERVICE_DEFAULTS, ...settings },
      createdAt: now,
      updatedAt: now,
      maps: new Map(),
    };
    this.services.set(service.sid, service);
    return service;
  }

  private listServices(req: ApiRequest): ApiResult {
    return {
      status: 200,
      json: v1Page(SUB, req, 'services', [...this.services.values()], (s) => this.renderService(s)),
    };
  }

  private fetchService(req: ApiRequest): ApiResult {
    return { status: 200, json: this.renderService(this.service(req, req.params.Sid)) };
  }

  private service(req: ApiRequest, sid: string): SyncService {
    const service = this.services.get(sid);
    if (!service) throw notFound(req.path);
    return service;
  }

  // Maps

  private createMap(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const { UniqueName, ...ttl } = inputOf<{ UniqueName?: string } & TtlInput>(req);
    if (UniqueName !== undefined) {
      if (UniqueName.length > MAX_UNIQUE_NAME_LENGTH || /^[A-Z]{2}[0-9a-f]{32}$/.test(UniqueName)) {
        throw new TwilioError(400, 54302, 'Invalid unique name');
      }
      if (this.liveMaps(service).some((map) => map.uniqueName === UniqueName)) {
        throw new TwilioError(409, 54301, `Unique name already exists: ${UniqueName}`);
      }
    }
    const now = this.store.clock.now();
    const map: SyncMap = {
      sid: newSid('MP'),
      serviceSid: service.sid,
      uniqueName: UniqueName ?? null,
      revision: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiry(ttl.CollectionTtl ?? ttl.Ttl),
      items: new Map(),
    };
    service.maps.set(map.sid, map);
    return { status: 201, json: this.renderMap(map) };
  }

  private listMaps(req: ApiRequest): ApiResult {
    const maps = this.liveMaps(this.service(req, req.params.ServiceSid));
    return { status: 200, json: v1Page(SUB, req, 'maps', maps, (map) => this.renderMap(map)) };
  }

  private fetchMap(req: ApiRequest): ApiResult {
    return { status: 200, json: this.renderMap(this.map(req, req.params.Sid)) };
  }

  private updateMap(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.Sid);
    this.admitWrite(map);
    const { Ttl, CollectionTtl } = inputOf<TtlInput>(req);
    const ttl = CollectionTtl ?? Ttl;
    if (ttl !== undefined) map.expiresAt = this.expiry(ttl);
    map.revision += 1;
    map.updatedAt = this.store.clock.now();
    return { status: 200, json: this.renderMap(map) };
  }

  private deleteMap(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.Sid);
    this.admitWrite(map);
    this.service(req, req.params.ServiceSid).maps.delete(map.sid);
    return { status: 204 };
  }

  /** A live Map of the request's service, by SID or unique name. */
  private map(req: ApiRequest, sidOrName: string): SyncMap {
    const map = this.liveMaps(this.service(req, req.params.ServiceSid)).find(
      (m) => m.sid === sidOrName || m.uniqueName === sidOrName,
    );
    if (!map) throw notFound(req.path);
    return map;
  }

  /** The service's maps that have not expired, forgetting the expired ones. */
  private liveMaps(service: SyncService): SyncMap[] {
    return this.purgeExpired(service.maps, (map) => map.sid);
  }

  // Map Items

  private createItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const { Key, Data, Ttl, ItemTtl, CollectionTtl } = inputOf<ItemInput & { Key: string }>(req);
    if (Key.length === 0 || Key.length > MAX_KEY_LENGTH) {
      throw new TwilioError(400, 54209, `Invalid Map Item key: it must be 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const data = checkData(Data);
    this.admitWrite(map, Key, data);
    if (this.liveItems(map).some((item) => item.key === Key)) {
      throw new TwilioError(409, 54208, `Map Item with key ${Key} already exists in Map ${map.sid}`);
    }
    const now = this.store.clock.now();
    const item: SyncMapItem = {
      key: Key,
      data: data.value,
      revision: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiry(ItemTtl ?? Ttl),
    };
    map.items.set(Key, item);
    if (CollectionTtl !== undefined) map.expiresAt = this.expiry(CollectionTtl);
    return this.itemResult(201, map, item);
  }

  private listItems(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const { Order = 'asc', From, Bounds = 'inclusive' } = inputOf<ListItemsInput>(req);
    const direction = Order === 'desc' ? -1 : 1;
    const items = this.liveItems(map)
      .filter((item) => {
        if (From === undefined) return true;
        const side = compareKeys(item.key, From) * direction;
        return side > 0 || (side === 0 && Bounds === 'inclusive');
      })
      .sort((a, b) => compareKeys(a.key, b.key) * direction);
    return { status: 200, json: v1Page(SUB, req, 'items', items, (item) => this.renderItem(map, item)) };
  }

  private fetchItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    return this.itemResult(200, map, this.item(req, map));
  }

  private updateItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const item = this.item(req, map);
    const { Data, Ttl, ItemTtl, CollectionTtl } = inputOf<ItemInput>(req);
    const data = Data === undefined ? undefined : checkData(Data);
    this.admitWrite(map, item.key, data ?? measure(item.data));
    checkRevision(req, item);
    if (data) item.data = data.value;
    const ttl = ItemTtl ?? Ttl;
    if (ttl !== undefined) item.expiresAt = this.expiry(ttl);
    if (CollectionTtl !== undefined) map.expiresAt = this.expiry(CollectionTtl);
    item.revision += 1;
    item.updatedAt = this.store.clock.now();
    return this.itemResult(200, map, item);
  }

  private deleteItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const item = this.item(req, map);
    this.admitWrite(map, item.key, measure(item.data));
    checkRevision(req, item);
    map.items.delete(item.key);
    return { status: 204 };
  }

  private item(req: ApiRequest, map: SyncMap): SyncMapItem {
    const item = this.liveItems(map).find((i) => i.key === req.params.Key);
    if (!item) throw notFound(req.path);
    return item;
  }

  private liveItems(map: SyncMap): SyncMapItem[] {
    return this.purgeExpired(map.items, (item) => item.key);
  }

  private itemResult(status: number, map: SyncMap, item: SyncMapItem): ApiResult {
    return { status, json: this.renderItem(map, item), headers: { ETag: String(item.revision) } };
  }

  // Shared

  /** Counts a write against the Map and, for items over 10 KiB, against the item's stricter limit. */
  private admitWrite(map: SyncMap, key?: string, data?: { bytes: number }): void {
    const limits = [{ key: map.sid, rate: OBJECT_RATE }];
    if (key !== undefined && data && data.bytes > LARGE_OBJECT_BYTES) {
      limits.push({ key: `${map.sid}/${key}`, rate: LARGE_OBJECT_RATE });
    }
    if (!this.limiter.tryAcquire(limits)) {
      throw new TwilioError(429, 54009, 'Rate limit exceeded for this Sync object');
    }
  }

  /** TTLs are in seconds; 0 means never expire. */
  private expiry(ttlSeconds: number | undefined): number | null {
    return ttlSeconds ? this.store.clock.now() + ttlSeconds * 1000 : null;
  }

  private purgeExpired<T extends Timestamps>(objects: Map<string, T>, keyOf: (object: T) => string): T[] {
    const now = this.store.clock.now();
    const live: T[] = [];
    for (const object of objects.values()) {
      if (object.expiresAt !== null && object.expiresAt <= now) objects.delete(keyOf(object));
      else live.push(object);
    }
    return live;
  }

  private renderService(service: SyncService) {
    const url = twilioUrl(SUB, `${SERVICES}/${service.sid}`);
    return shape('sync.v1.service', {
      ...snakeCaseKeys(service.settings),
      sid: service.sid,
      account_sid: this.store.account.sid,
      date_created: isoDate(service.createdAt),
      date_updated: isoDate(service.updatedAt),
      url,
      links: { documents: `${url}/Documents`, lists: `${url}/Lists`, maps: `${url}/Maps`, streams: `${url}/Streams` },
    });
  }

  private renderMap(map: SyncMap) {
    const url = twilioUrl(SUB, `${SERVICES}/${map.serviceSid}/Maps/${map.sid}`);
    return shape('sync.v1.service.sync_map', {
      sid: map.sid,
      unique_name: map.uniqueName,
      account_sid: this.store.account.sid,
      service_sid: map.serviceSid,
      url,
      links: { items: `${url}/Items`, permissions: `${url}/Permissions` },
      revision: String(map.revision),
      ...this.renderTimestamps(map),
    });
  }

  private renderItem(map: SyncMap, item: SyncMapItem) {
    return shape('sync.v1.service.sync_map.sync_map_item', {
      key: item.key,
      account_sid: this.store.account.sid,
      service_sid: map.serviceSid,
      map_sid: map.sid,
      url: twilioUrl(SUB, `${SERVICES}/${map.serviceSid}/Maps/${map.sid}/Items/${encodeURIComponent(item.key)}`),
      revision: String(item.revision),
      data: item.data,
      ...this.renderTimestamps(item),
    });
  }

  private renderTimestamps(object: Timestamps) {
    return {
      date_expires: object.expiresAt === null ? null : isoDate(object.expiresAt),
      date_created: isoDate(object.createdAt),
      date_updated: isoDate(object.updatedAt),
      created_by: 'system', // REST-made objects
    };
  }
}

/** Sync stores JSON objects of at most 16 KiB. */
function checkData(data: unknown): { value: object; bytes: number } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TwilioError(400, 54206, 'Invalid Map Item data: Data must be a JSON object');
  }
  const measured = measure(data);
  if (measured.bytes > MAX_DATA_BYTES) {
    throw new TwilioError(
      413,
      54006,
      `Sync Map item data too large: ${measured.bytes} bytes, the limit is ${MAX_DATA_BYTES}`,
    );
  }
  return measured;
}

function measure(value: object): { value: object; bytes: number } {
  return { value, bytes: Buffer.byteLength(JSON.stringify(value)) };
}

/** `If-Match` makes the write conditional on the item's current revision. */
function checkRevision(req: ApiRequest, item: SyncMapItem): void {
  const expected = req.headers['if-match'];
  if (expected !== undefined && expected !== String(item.revision)) {
    throw new TwilioError(
      412,
      54205,
      `The revision of the Map Item (${item.revision}) does not match the expected revision (${expected})`,
    );
  }
}

/** Lexicographic by UTF-16 code unit, as Twilio orders Map Item keys. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
