/**
 * Sync's state and rules: services, Maps and Map Items, with TTLs (an expired object is forgotten when next
 * read), revisions and If-Match, unique names, and the per-object write rate limits.
 */
import type { Clock } from '../../clock';
import { TwilioError } from '../../errors';
import { type Rate, RateLimiter } from '../../rate-limit';
import { newSid } from '../../sid';
import {
  checkData,
  checkKey,
  checkRevision,
  checkUniqueName,
  compareKeys,
  type Measured,
  measure,
  SERVICE_DEFAULTS,
  type ServiceSettings,
  type SyncMap,
  type SyncMapItem,
  type SyncService,
  type Timestamps,
} from './model';

const LARGE_OBJECT_BYTES = 10 * 1024;
/** Per object, and writes to a Map's items count against the Map. */
const OBJECT_RATE: Rate = { perSecond: 20, burstSeconds: 10 };
const LARGE_OBJECT_RATE: Rate = { perSecond: 2, burstSeconds: 10 };

/** TTLs in seconds, as the parameters give them; 0 means never expire. */
export interface NewItem {
  key: string;
  data: unknown;
  itemTtl?: number;
  collectionTtl?: number;
}

export type ItemChanges = Partial<Omit<NewItem, 'key'>>;

export interface ItemRange {
  order: 'asc' | 'desc';
  from?: string;
  bounds: 'inclusive' | 'exclusive';
}

export class Sync {
  readonly services = new Map<string, SyncService>();
  readonly defaultServiceSid: string;
  private readonly limiter: RateLimiter;

  constructor(private readonly clock: Clock) {
    this.limiter = new RateLimiter(clock);
    this.defaultServiceSid = this.addService({ FriendlyName: 'Default Service' }).sid;
  }

  /** Forgets everything but the default service, which is left empty. */
  reset(): void {
    for (const sid of this.services.keys()) if (sid !== this.defaultServiceSid) this.services.delete(sid);
    this.services.get(this.defaultServiceSid)?.maps.clear();
    this.limiter.reset();
  }

  addService(settings: Partial<ServiceSettings>): SyncService {
    const now = this.clock.now();
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

  // Maps

  addMap(service: SyncService, uniqueName: string | undefined, ttl: number | undefined): SyncMap {
    if (uniqueName !== undefined) {
      checkUniqueName(uniqueName);
      if (this.liveMaps(service).some((map) => map.uniqueName === uniqueName)) {
        throw new TwilioError(409, 54301, `Unique name already exists: ${uniqueName}`);
      }
    }
    const now = this.clock.now();
    const map: SyncMap = {
      sid: newSid('MP'),
      serviceSid: service.sid,
      uniqueName: uniqueName ?? null,
      revision: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiry(ttl),
      items: new Map(),
    };
    service.maps.set(map.sid, map);
    return map;
  }

  updateMap(map: SyncMap, ttl: number | undefined): void {
    this.admitWrite(map);
    if (ttl !== undefined) map.expiresAt = this.expiry(ttl);
    map.revision += 1;
    map.updatedAt = this.clock.now();
  }

  deleteMap(service: SyncService, map: SyncMap): void {
    this.admitWrite(map);
    service.maps.delete(map.sid);
  }

  /** The service's maps that have not expired, forgetting the expired ones. */
  liveMaps(service: SyncService): SyncMap[] {
    return this.purgeExpired(service.maps, (map) => map.sid);
  }

  // Map Items

  addItem(map: SyncMap, { key, data, itemTtl, collectionTtl }: NewItem): SyncMapItem {
    checkKey(key);
    const measured = checkData(data);
    this.admitWrite(map, key, measured);
    if (this.liveItems(map).some((item) => item.key === key)) {
      throw new TwilioError(409, 54208, `Map Item with key ${key} already exists in Map ${map.sid}`);
    }
    const now = this.clock.now();
    const item: SyncMapItem = {
      key,
      data: measured.value,
      revision: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiry(itemTtl),
    };
    map.items.set(key, item);
    if (collectionTtl !== undefined) map.expiresAt = this.expiry(collectionTtl);
    return item;
  }

  /** `ifMatch`: the revision the write expects the item to be at. */
  updateItem(map: SyncMap, item: SyncMapItem, changes: ItemChanges, ifMatch: string | undefined): void {
    const data = changes.data === undefined ? undefined : checkData(changes.data);
    this.admitWrite(map, item.key, data ?? measure(item.data));
    checkRevision(item, ifMatch);
    if (data) item.data = data.value;
    if (changes.itemTtl !== undefined) item.expiresAt = this.expiry(changes.itemTtl);
    if (changes.collectionTtl !== undefined) map.expiresAt = this.expiry(changes.collectionTtl);
    item.revision += 1;
    item.updatedAt = this.clock.now();
  }

  deleteItem(map: SyncMap, item: SyncMapItem, ifMatch: string | undefined): void {
    this.admitWrite(map, item.key, measure(item.data));
    checkRevision(item, ifMatch);
    map.items.delete(item.key);
  }

  liveItems(map: SyncMap): SyncMapItem[] {
    return this.purgeExpired(map.items, (item) => item.key);
  }

  /** The live items in key order, from a key on when `from` is given. */
  itemsInRange(map: SyncMap, { order, from, bounds }: ItemRange): SyncMapItem[] {
    const direction = order === 'desc' ? -1 : 1;
    return this.liveItems(map)
      .filter((item) => {
        if (from === undefined) return true;
        const side = compareKeys(item.key, from) * direction;
        return side > 0 || (side === 0 && bounds === 'inclusive');
      })
      .sort((a, b) => compareKeys(a.key, b.key) * direction);
  }

  // Shared

  /** Counts a write against the Map and, for items over 10 KiB, against the item's stricter limit. */
  private admitWrite(map: SyncMap, key?: string, data?: Measured): void {
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
    return ttlSeconds ? this.clock.now() + ttlSeconds * 1000 : null;
  }

  private purgeExpired<T extends Timestamps>(objects: Map<string, T>, keyOf: (object: T) => string): T[] {
    const now = this.clock.now();
    const live: T[] = [];
    for (const object of objects.values()) {
      if (object.expiresAt !== null && object.expiresAt <= now) objects.delete(keyOf(object));
      else live.push(object);
    }
    return live;
  }
}
