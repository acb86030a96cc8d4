/**
 * Sync (sync.twilio.com/v1): Services, Maps and Map Items, with Twilio's TTLs, revisions and If-Match,
 * payload limits and per-object write rate limits.
 */
import { notFound } from '../../errors';
import { v1Page } from '../../paging';
import { type ApiRequest, type ApiResult, type ApiRoute, inputOf, type Product } from '../../product';
import type { Store } from '../../store';
import { Sync } from './engine';
import type { ServiceSettings, SyncMap, SyncMapItem, SyncService } from './model';
import { renderItem, renderMap, renderService, SUB } from './render';

const SERVICES = '/v1/Services';
const MAPS = `${SERVICES}/{ServiceSid}/Maps`;
const ITEMS = `${MAPS}/{MapSid}/Items`;

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
  readonly sync: Sync;

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
    this.sync = new Sync(store.clock);
  }

  reset(): void {
    this.sync.reset();
  }

  private get accountSid(): string {
    return this.store.account.sid;
  }

  // Services

  private createService(req: ApiRequest): ApiResult {
    const service = this.sync.addService(inputOf<Partial<ServiceSettings>>(req));
    return { status: 201, json: renderService(this.accountSid, service) };
  }

  private listServices(req: ApiRequest): ApiResult {
    const services = [...this.sync.services.values()];
    return { status: 200, json: v1Page(SUB, req, 'services', services, (s) => renderService(this.accountSid, s)) };
  }

  private fetchService(req: ApiRequest): ApiResult {
    return { status: 200, json: renderService(this.accountSid, this.service(req, req.params.Sid)) };
  }

  private service(req: ApiRequest, sid: string): SyncService {
    const service = this.sync.services.get(sid);
    if (!service) throw notFound(req.path);
    return service;
  }

  // Maps

  private createMap(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const { UniqueName, Ttl, CollectionTtl } = inputOf<{ UniqueName?: string } & TtlInput>(req);
    const map = this.sync.addMap(service, UniqueName, CollectionTtl ?? Ttl);
    return { status: 201, json: renderMap(this.accountSid, map) };
  }

  private listMaps(req: ApiRequest): ApiResult {
    const maps = this.sync.liveMaps(this.service(req, req.params.ServiceSid));
    return { status: 200, json: v1Page(SUB, req, 'maps', maps, (map) => renderMap(this.accountSid, map)) };
  }

  private fetchMap(req: ApiRequest): ApiResult {
    return { status: 200, json: renderMap(this.accountSid, this.map(req, req.params.Sid)) };
  }

  private updateMap(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.Sid);
    const { Ttl, CollectionTtl } = inputOf<TtlInput>(req);
    this.sync.updateMap(map, CollectionTtl ?? Ttl);
    return { status: 200, json: renderMap(this.accountSid, map) };
  }

  private deleteMap(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.Sid);
    this.sync.deleteMap(this.service(req, req.params.ServiceSid), map);
    return { status: 204 };
  }

  /** A live Map of the request's service, by SID or unique name. */
  private map(req: ApiRequest, sidOrName: string): SyncMap {
    const map = this.sync
      .liveMaps(this.service(req, req.params.ServiceSid))
      .find((m) => m.sid === sidOrName || m.uniqueName === sidOrName);
    if (!map) throw notFound(req.path);
    return map;
  }

  // Map Items

  private createItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const { Key, Data, Ttl, ItemTtl, CollectionTtl } = inputOf<ItemInput & { Key: string }>(req);
    const item = this.sync.addItem(map, {
      key: Key,
      data: Data,
      itemTtl: ItemTtl ?? Ttl,
      collectionTtl: CollectionTtl,
    });
    return this.itemResult(201, map, item);
  }

  private listItems(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const { Order = 'asc', From, Bounds = 'inclusive' } = inputOf<ListItemsInput>(req);
    const items = this.sync.itemsInRange(map, { order: Order, from: From, bounds: Bounds });
    return { status: 200, json: v1Page(SUB, req, 'items', items, (item) => renderItem(this.accountSid, map, item)) };
  }

  private fetchItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    return this.itemResult(200, map, this.item(req, map));
  }

  private updateItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    const item = this.item(req, map);
    const { Data, Ttl, ItemTtl, CollectionTtl } = inputOf<ItemInput>(req);
    const changes = { data: Data, itemTtl: ItemTtl ?? Ttl, collectionTtl: CollectionTtl };
    this.sync.updateItem(map, item, changes, req.headers['if-match']);
    return this.itemResult(200, map, item);
  }

  private deleteItem(req: ApiRequest): ApiResult {
    const map = this.map(req, req.params.MapSid);
    this.sync.deleteItem(map, this.item(req, map), req.headers['if-match']);
    return { status: 204 };
  }

  private item(req: ApiRequest, map: SyncMap): SyncMapItem {
    const item = this.sync.liveItems(map).find((i) => i.key === req.params.Key);
    if (!item) throw notFound(req.path);
    return item;
  }

  private itemResult(status: number, map: SyncMap, item: SyncMapItem): ApiResult {
    return { status, json: renderItem(this.accountSid, map, item), headers: { ETag: String(item.revision) } };
  }
}
