/** Sync's JSON, shaped by the spec's schemas: ISO 8601 dates, absolute `url`s and `links`, revisions as strings. */
import { isoDate, shape, snakeCaseKeys, twilioUrl } from '../../resources';
import type { SyncMap, SyncMapItem, SyncService, Timestamps } from './model';

export const SUB = 'sync';

const servicePath = (serviceSid: string) => `/v1/Services/${serviceSid}`;

export function renderService(accountSid: string, service: SyncService) {
  const url = twilioUrl(SUB, servicePath(service.sid));
  return shape('sync.v1.service', {
    ...snakeCaseKeys(service.settings),
    sid: service.sid,
    account_sid: accountSid,
    date_created: isoDate(service.createdAt),
    date_updated: isoDate(service.updatedAt),
    url,
    links: { documents: `${url}/Documents`, lists: `${url}/Lists`, maps: `${url}/Maps`, streams: `${url}/Streams` },
  });
}

export function renderMap(accountSid: string, map: SyncMap) {
  const url = twilioUrl(SUB, `${servicePath(map.serviceSid)}/Maps/${map.sid}`);
  return shape('sync.v1.service.sync_map', {
    sid: map.sid,
    unique_name: map.uniqueName,
    account_sid: accountSid,
    service_sid: map.serviceSid,
    url,
    links: { items: `${url}/Items`, permissions: `${url}/Permissions` },
    revision: String(map.revision),
    ...timestamps(map),
  });
}

export function renderItem(accountSid: string, map: SyncMap, item: SyncMapItem) {
  return shape('sync.v1.service.sync_map.sync_map_item', {
    key: item.key,
    account_sid: accountSid,
    service_sid: map.serviceSid,
    map_sid: map.sid,
    url: twilioUrl(SUB, `${servicePath(map.serviceSid)}/Maps/${map.sid}/Items/${encodeURIComponent(item.key)}`),
    revision: String(item.revision),
    data: item.data,
    ...timestamps(item),
  });
}

function timestamps(object: Timestamps) {
  return {
    date_expires: object.expiresAt === null ? null : isoDate(object.expiresAt),
    date_created: isoDate(object.createdAt),
    date_updated: isoDate(object.updatedAt),
    created_by: 'system', // REST-made objects
  };
}
