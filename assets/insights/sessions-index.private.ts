/**
 * Session outcomes in Twilio Sync, for reports: the sharded index (see insights/outcome) written from the contact
 * record's outcome, and read back a page of up to 100 sessions per call; and the suggestions reps taught
 * (`kb-suggestions`, written by the assist feature). Items expire with DATA_RETENTION_DAYS.
 */
import type {
  SyncMapItemInstance,
  SyncMapItemListInstance,
  SyncMapItemListInstancePageOptions,
} from 'twilio/lib/rest/sync/v1/service/syncMap/syncMapItem';
import type { SessionOutcome, TaughtSuggestion } from './outcome.private';
import type * as Outcome from './outcome.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { indexKeyAt, indexMapName, indexMapNames } = load<typeof Outcome>('/insights/outcome.js');
const { createSyncMap, NOT_FOUND, readTwilioError, retryOnServerError, SYNC_ITEM_EXISTS } =
  load<typeof Gateway>('/twilio/gateway.js');

/** Sync's most Map Items per page (twilio_sync_v1.json: PageSize maximum 100). */
const PAGE_SIZE = 100;
/** Maps read at once (there are 64). */
const READ_CONCURRENCY = 16;
export const TAUGHT_SUGGESTIONS_MAP = 'kb-suggestions';

export interface IndexOptions {
  syncServiceSid: string;
  retentionSeconds: number;
}

/**
 * Copies an outcome to its index item: one call (a first write creates, a later one updates), two more the
 * first time a shard's map is written. Concurrent first writes of a map are harmless (54301).
 */
export async function writeIndexedOutcome(
  client: Gateway.TwilioClient,
  options: IndexOptions,
  outcome: SessionOutcome,
  isNew: boolean,
): Promise<void> {
  const item = { data: outcome, itemTtl: options.retentionSeconds };
  await writeMapItem(client, options, indexMapName(outcome.sessionId), outcome.sessionId, item, isNew);
}

/** Keeps a rep's taught suggestion (contract 2) for `npm run insights -- --kb-suggestions`: one call. */
export async function writeTaughtSuggestion(
  client: Gateway.TwilioClient,
  options: IndexOptions,
  key: string,
  suggestion: TaughtSuggestion,
): Promise<void> {
  const item = { data: suggestion, itemTtl: options.retentionSeconds };
  await writeMapItem(client, options, TAUGHT_SUGGESTIONS_MAP, key, item, true);
}

/**
 * One item of a map that its first write creates (the map itself never expires: its items do). A new item is
 * created, a known one updated; each falls back to the other (a redelivered first message, a retry after a 5xx
 * whose create went through, an item that expired or was never written), and a missing map is created once.
 * Concurrent first writes of a map are harmless (54301).
 */
async function writeMapItem(
  client: Gateway.TwilioClient,
  options: IndexOptions,
  mapName: string,
  key: string,
  item: { data: object; itemTtl: number },
  isNew: boolean,
): Promise<void> {
  const items = client.sync.v1.services(options.syncServiceSid).syncMaps(mapName).syncMapItems;
  const create = () => retryOnServerError(() => items.create({ key, ...item }));
  const update = () => retryOnServerError(() => items(key).update(item));
  const upsert = async (first: 'create' | 'update', mapCreated = false): Promise<void> => {
    try {
      await (first === 'create' ? create() : update());
    } catch (error) {
      const { code } = readTwilioError(error);
      if (first === 'create' && code === SYNC_ITEM_EXISTS) return upsert('update', mapCreated);
      if (code !== NOT_FOUND) throw error;
      if (first === 'update') return upsert('create', mapCreated);
      if (mapCreated) throw error;
      await createSyncMap(client, options.syncServiceSid, mapName);
      return upsert('create', true);
    }
  };
  await upsert(isNew ? 'create' : 'update');
}

interface Progress {
  reads: number;
  sessions: number;
}

/** What a read of a map's items gives (the SDK's page, as far as paging needs it). */
interface ItemPage {
  instances: SyncMapItemInstance[];
  nextPageUrl?: string;
  nextPage(): Promise<ItemPage> | undefined;
}

/**
 * Reads a map's items a page at a time, telling `onPage` of each read, until it says to stop or none are left.
 * A missing map is a read of no items.
 */
async function readPages(
  items: SyncMapItemListInstance,
  options: SyncMapItemListInstancePageOptions,
  onPage: (instances: SyncMapItemInstance[]) => boolean,
): Promise<void> {
  let page: ItemPage;
  try {
    page = await retryOnServerError(() => items.page({ pageSize: PAGE_SIZE, ...options }));
  } catch (error) {
    if (readTwilioError(error).code !== NOT_FOUND) throw error;
    onPage([]);
    return;
  }
  while (onPage(page.instances) && page.nextPageUrl) {
    const current = page;
    page = await retryOnServerError(() => current.nextPage() ?? Promise.reject(new Error('no next page')));
  }
}

/** Runs `work` over `inputs`, at most `limit` at a time. */
export async function eachLimited<T>(inputs: T[], limit: number, work: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) await work(inputs[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
}

/**
 * The outcomes of the sessions that started in [from, to) (on `twilioNumber` only, when given), oldest first.
 * Reads each of the 64 index maps from the window's start, a page of 100 at a time, and stops past its end: one
 * read per 100 sessions of a map, at least one per map (10,000 sessions: 128 reads). A missing map has none.
 */
export async function readSessionOutcomes(
  client: Gateway.TwilioClient,
  syncServiceSid: string,
  window: { from: Date; to: Date; twilioNumber?: string },
  onProgress?: (progress: Progress) => void,
): Promise<SessionOutcome[]> {
  const service = client.sync.v1.services(syncServiceSid);
  const from = window.from.getTime();
  const to = window.to.getTime();
  const endKey = indexKeyAt(window.to);
  const outcomes: SessionOutcome[] = [];
  const progress: Progress = { reads: 0, sessions: 0 };
  const inWindow = (outcome: SessionOutcome) => {
    const startedAt = Date.parse(outcome.startedAt);
    return (
      startedAt >= from && startedAt < to && (!window.twilioNumber || outcome.twilioNumber === window.twilioNumber)
    );
  };
  const startKey = indexKeyAt(window.from);
  await eachLimited(indexMapNames(), READ_CONCURRENCY, async (mapName) => {
    const items = service.syncMaps(mapName).syncMapItems;
    await readPages(items, { order: 'asc', from: startKey }, (instances) => {
      const found = instances.map((item) => item.data as SessionOutcome).filter(inWindow);
      outcomes.push(...found);
      progress.reads++;
      progress.sessions += found.length;
      onProgress?.({ ...progress });
      const last = instances.at(-1);
      return last !== undefined && last.key < endKey;
    });
  });
  return outcomes.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.sessionId.localeCompare(b.sessionId));
}

/** The suggestions reps taught, oldest first: every item of `kb-suggestions`, 100 a read. None when it is missing. */
export async function readTaughtSuggestions(
  client: Gateway.TwilioClient,
  syncServiceSid: string,
): Promise<TaughtSuggestion[]> {
  const items = client.sync.v1.services(syncServiceSid).syncMaps(TAUGHT_SUGGESTIONS_MAP).syncMapItems;
  const suggestions: TaughtSuggestion[] = [];
  await readPages(items, {}, (instances) => {
    const data = instances.map((item) => item.data as TaughtSuggestion);
    suggestions.push(...data.filter((item) => item?.kind === 'taught' && typeof item.question === 'string'));
    return true;
  });
  return suggestions.sort((a, b) => String(a.at).localeCompare(String(b.at)));
}
