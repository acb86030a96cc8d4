/**
 * Contact records in Twilio Sync. Each contact has its own Map (`contact-<digits>`), so Sync's per-object write
 * limit (20/s, a Map counting all its items) caps one contact, never the deployment. In that Map:
 * - `contact`: the ContactRecord, written with `If-Match` (or created as a lock), so concurrent messages from one
 *   contact never lose an update. It stays under 10 KiB (Sync allows larger objects only 2 writes/s): older
 *   transcript entries move out to chunk items;
 * - `t-<session>-<n>-<nonce>`: transcript chunks, oldest first, listed in the session;
 * - `session-<id>`: a finished session, kept when a new one replaces it.
 * A steady-state message costs two Sync calls: one read, one conditional write.
 *
 * Each write also keeps the session's outcome for insights: refreshed from the session, and copied to the
 * sharded index when a report would see a change (a new session, a not-sure turn, the handoff and its task, the
 * end; never an ordinary AI turn). Those copies run alongside whatever the caller does next; `settle` awaits them.
 */
import type { ContactRecord, Session, TranscriptEntry } from './model.private';
import type { Logger } from '../runtime/logger.private';
import type * as SessionModule from './model.private';
import type * as Outcome from '../insights/outcome.private';
import type * as SessionsIndex from '../insights/sessions-index.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { newContact } = load<typeof SessionModule>('/session/model.js');
const { outcomesToIndex, refreshOutcome } = load<typeof Outcome>('/insights/outcome.js');
const { writeIndexedOutcome } = load<typeof SessionsIndex>('/insights/sessions-index.js');
const { createSyncMap, NOT_FOUND, readTwilioError, retryOnServerError, SYNC_ITEM_EXISTS } =
  load<typeof Gateway>('/twilio/gateway.js');

const CONTACT_KEY = 'contact';
/** Keep the record well under Sync's 10 KiB "large object" threshold. */
const RECORD_BYTES_LIMIT = 8 * 1024;
/** Newest entries kept inline, so a redelivered webhook still finds the reply it was given. */
const MIN_RECENT_ENTRIES = 4;
/** Transcript chunks stay under Sync's 16 KiB item limit with room for JSON overhead. */
const CHUNK_BYTES_LIMIT = 12 * 1024;
const MAX_ATTEMPTS = 8;

/** Sync's answer to a write whose If-Match revision another writer has replaced. */
const REVISION_MISMATCH = 54205;

export interface StoredContact {
  record: ContactRecord;
  /** The Sync revision read; undefined when the contact has no record yet. */
  revision?: string;
}

/** What a change to a contact decides: the record to write (undefined: nothing to write) and a result. */
export interface ContactChange<T> {
  record?: ContactRecord;
  result: T;
}

export interface StoreOptions {
  syncServiceSid: string;
  retentionSeconds: number;
  /** Told when an outcome could not be copied to the insights index (the next copy of its session catches up). */
  logger?: Pick<Logger, 'warn'>;
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

export function contactMapName(phone: string): string {
  return `contact-${phone.replace(/\D/g, '')}`;
}

function nonce(): string {
  return Math.random().toString(36).slice(2, 8);
}

export class SessionStore {
  /** Copies of outcomes to the insights index, started by writes and not yet awaited. */
  private indexing: Promise<void>[] = [];

  constructor(
    private readonly client: Gateway.TwilioClient,
    private readonly options: StoreOptions,
  ) {}

  /**
   * Waits for the outcome copies the writes so far started: a handler calls it before it answers, as a Function
   * may be frozen once it has. Never throws: a failed copy is logged, and the session's next copy replaces it.
   */
  async settle(): Promise<void> {
    while (this.indexing.length > 0) await Promise.all(this.indexing.splice(0));
  }

  private copyOutcomes(previous: Session | undefined, next: Session | undefined): void {
    for (const outcome of outcomesToIndex(previous, next)) {
      const isNew = outcome.sessionId === next?.id && previous?.id !== next.id;
      this.indexing.push(
        writeIndexedOutcome(this.client, this.options, outcome, isNew).catch((error: unknown) =>
          this.options.logger?.warn('could not copy a session outcome to the insights index', { error }),
        ),
      );
    }
  }

  private map(phone: string) {
    return this.client.sync.v1.services(this.options.syncServiceSid).syncMaps(contactMapName(phone));
  }

  /** Opted-out contacts are kept for good, so the opt-out outlives the retention period. */
  private ttlFor(record: ContactRecord): number {
    return record.optedOut ? 0 : this.options.retentionSeconds;
  }

  async load(phone: string): Promise<StoredContact> {
    try {
      const item = await retryOnServerError(() => this.map(phone).syncMapItems(CONTACT_KEY).fetch());
      return { record: item.data as ContactRecord, revision: item.revision };
    } catch (error) {
      if (readTwilioError(error).code === NOT_FOUND) return { record: newContact(phone) };
      throw error;
    }
  }

  /**
   * Reads the contact, lets `change` decide, writes the result conditionally, and starts over from a fresh
   * read when another writer got there first. `change` must be free of side effects: it may run again.
   */
  async update<T>(phone: string, change: (stored: StoredContact) => Promise<ContactChange<T>>): Promise<T> {
    return (await this.updateKeeping(phone, change)).result;
  }

  /**
   * `update`, also giving back the contact as written (as read, when nothing was written): a writer that keeps
   * it passes it back as `from`, and its next change is one call instead of a read and a write.
   */
  async updateKeeping<T>(
    phone: string,
    change: (stored: StoredContact) => Promise<ContactChange<T>>,
    options: {
      /** The contact as this writer last wrote it: the first attempt changes it without reading it again. */
      from?: StoredContact;
      /**
       * Told of each change as its write starts, to start work that may run while it is written (it may be told
       * again, after a conflicting write).
       */
      alongside?: (change: Required<ContactChange<T>>) => void;
    } = {},
  ): Promise<{ result: T; stored: StoredContact }> {
    for (let attempt = 1; ; attempt++) {
      const stored = attempt === 1 && options.from ? options.from : await this.load(phone);
      const { record, result } = await change(stored);
      if (!record) return { result, stored };
      options.alongside?.({ record, result });
      const written = await this.write(phone, stored, record);
      if (written) return { result, stored: written };
      if (attempt >= MAX_ATTEMPTS) throw new Error(`Gave up writing contact after ${attempt} conflicting writes`);
    }
  }

  /**
   * Writes `next` if the stored revision is still `stored`'s: the contact as written, or undefined when another
   * writer changed it first.
   */
  async write(phone: string, stored: StoredContact, next: ContactRecord): Promise<StoredContact | undefined> {
    const previous = stored.record.session;
    if (previous && next.session?.id !== previous.id) await this.archiveSession(phone, previous);
    const record = await this.moveOldEntriesToChunks(phone, withRefreshedOutcome(next));
    const ttl = this.ttlFor(record);
    let revision: string;
    try {
      revision =
        stored.revision === undefined
          ? await this.createContactItem(phone, record, ttl)
          : (
              await retryOnServerError(() =>
                this.map(phone)
                  .syncMapItems(CONTACT_KEY)
                  .update({ data: record, itemTtl: ttl, ifMatch: stored.revision }),
              )
            ).revision;
    } catch (error) {
      const { code, status } = readTwilioError(error);
      if (code === SYNC_ITEM_EXISTS || code === REVISION_MISMATCH || status === 412) {
        return undefined;
      }
      throw error;
    }
    this.copyOutcomes(previous, record.session);
    const isNew = stored.revision === undefined;
    if (!isNew && (next.session?.id !== previous?.id || next.optedOut !== stored.record.optedOut)) {
      // A new session or a changed opt-out: the Map itself must outlive the records in it.
      await retryOnServerError(() => this.map(phone).update({ collectionTtl: ttl }));
    }
    return { record, revision };
  }

  /** Creates the contact item (and its Map when missing): its revision. */
  private async createContactItem(phone: string, record: ContactRecord, ttl: number): Promise<string> {
    const create = () =>
      retryOnServerError(() => this.map(phone).syncMapItems.create({ key: CONTACT_KEY, data: record, itemTtl: ttl }));
    try {
      return (await create()).revision;
    } catch (error) {
      if (readTwilioError(error).code !== NOT_FOUND) throw error;
      await createSyncMap(this.client, this.options.syncServiceSid, contactMapName(phone), ttl);
      return (await create()).revision;
    }
  }

  /** Keeps a finished session readable for the retention period once a new one takes its place. */
  private async archiveSession(phone: string, session: Session): Promise<void> {
    try {
      await retryOnServerError(() =>
        this.map(phone).syncMapItems.create({
          key: `session-${session.id}`,
          data: session,
          itemTtl: this.options.retentionSeconds,
        }),
      );
    } catch (error) {
      // Already archived by an earlier attempt of the same change.
      if (readTwilioError(error).code !== SYNC_ITEM_EXISTS) throw error;
    }
  }

  /**
   * Moves the oldest inline entries into new chunk items when the record grows past its size budget. A chunk
   * written by an attempt that then loses the race is left unlisted and expires with the retention period.
   */
  private async moveOldEntriesToChunks(phone: string, record: ContactRecord): Promise<ContactRecord> {
    const session = record.session;
    if (!session || byteLength(record) <= RECORD_BYTES_LIMIT) return record;
    const keep = Math.max(MIN_RECENT_ENTRIES, entriesFittingIn(session.recent, RECORD_BYTES_LIMIT / 2));
    const moving = session.recent.slice(0, Math.max(0, session.recent.length - keep));
    if (moving.length === 0) return record;
    const chunks = [...session.chunks];
    for (const entries of splitIntoChunks(moving, CHUNK_BYTES_LIMIT)) {
      const key = `t-${session.id}-${chunks.length}-${nonce()}`;
      await retryOnServerError(() =>
        this.map(phone).syncMapItems.create({ key, data: { entries }, itemTtl: this.options.retentionSeconds }),
      );
      chunks.push(key);
    }
    return { ...record, session: { ...session, chunks, recent: session.recent.slice(moving.length) } };
  }

  /** The session's whole transcript, oldest first: its chunks, then the inline entries. */
  async transcript(phone: string, session: Session): Promise<TranscriptEntry[]> {
    const chunks = await Promise.all(
      session.chunks.map((key) =>
        retryOnServerError(() => this.map(phone).syncMapItems(key).fetch()).then(
          (item) => (item.data as { entries: TranscriptEntry[] }).entries,
        ),
      ),
    );
    return [...chunks.flat(), ...session.recent];
  }
}

function withRefreshedOutcome(record: ContactRecord): ContactRecord {
  const session = record.session;
  return session ? { ...record, session: { ...session, outcome: refreshOutcome(session) } } : record;
}

/** How many of the newest entries fit in `bytes`. */
function entriesFittingIn(entries: TranscriptEntry[], bytes: number): number {
  let total = 0;
  let count = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    total += byteLength(entries[i]);
    if (total > bytes) break;
    count++;
  }
  return count;
}

/** Consecutive groups of entries, each under `bytes` (a lone entry is always under: bodies are capped). */
function splitIntoChunks(entries: TranscriptEntry[], bytes: number): TranscriptEntry[][] {
  const chunks: TranscriptEntry[][] = [];
  let current: TranscriptEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const entrySize = byteLength(entry);
    if (current.length > 0 && size + entrySize > bytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entrySize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
