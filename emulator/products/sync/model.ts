/** Sync's resources as the emulator keeps them, and the rules on their values (data size, keys, unique names). */
import { TwilioError } from '../../errors';

const MAX_DATA_BYTES = 16 * 1024;
const MAX_KEY_LENGTH = 320;
const MAX_UNIQUE_NAME_LENGTH = 256;

export interface Timestamps {
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which the object is gone; null when it never expires. */
  expiresAt: number | null;
}

/** A service's settings, named as the parameters that set them. */
export interface ServiceSettings {
  FriendlyName: string | null;
  WebhookUrl: string | null;
  WebhooksFromRestEnabled: boolean;
  ReachabilityWebhooksEnabled: boolean;
  AclEnabled: boolean;
  ReachabilityDebouncingEnabled: boolean;
  ReachabilityDebouncingWindow: number;
}

export const SERVICE_DEFAULTS: ServiceSettings = {
  FriendlyName: null,
  WebhookUrl: null,
  WebhooksFromRestEnabled: false,
  ReachabilityWebhooksEnabled: false,
  AclEnabled: false,
  ReachabilityDebouncingEnabled: false,
  ReachabilityDebouncingWindow: 5000,
};

export interface SyncService {
  sid: string;
  settings: ServiceSettings;
  createdAt: number;
  updatedAt: number;
  maps: Map<string, SyncMap>;
}

export interface SyncMap extends Timestamps {
  sid: string;
  serviceSid: string;
  uniqueName: string | null;
  revision: number;
  items: Map<string, SyncMapItem>;
}

export interface SyncMapItem extends Timestamps {
  key: string;
  data: object;
  revision: number;
}

/** A JSON object and its size in bytes, as Sync's limits count it. */
export interface Measured {
  value: object;
  bytes: number;
}

/** Not SID-shaped, at most 256 characters. */
export function checkUniqueName(uniqueName: string): void {
  if (uniqueName.length > MAX_UNIQUE_NAME_LENGTH || /^[A-Z]{2}[0-9a-f]{32}$/.test(uniqueName)) {
    throw new TwilioError(400, 54302, 'Invalid unique name');
  }
}

export function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new TwilioError(400, 54209, `Invalid Map Item key: it must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
}

/** Sync stores JSON objects of at most 16 KiB. */
export function checkData(data: unknown): Measured {
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

export function measure(value: object): Measured {
  return { value, bytes: Buffer.byteLength(JSON.stringify(value)) };
}

/** `If-Match` makes the write conditional on the item's current revision. */
export function checkRevision(item: SyncMapItem, expected: string | undefined): void {
  if (expected !== undefined && expected !== String(item.revision)) {
    throw new TwilioError(
      412,
      54205,
      `The revision of the Map Item (${item.revision}) does not match the expected revision (${expected})`,
    );
  }
}

/** Lexicographic by UTF-16 code unit, as Twilio orders Map Item keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
