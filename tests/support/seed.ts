/**
 * Long sessions without sending every text through the webhook: turns written straight to the contact's Sync
 * record with the project's own store (so chunks and sizes are as in production). Used by e2e tests and the
 * benchmark.
 */
import '../../scripts/runtime-assets';
import type { TranscriptEntry } from '../../assets/session/model.private';
import { appendEntries } from '../../assets/session/model.private';
import { SessionStore } from '../../assets/session/store.private';
import { twilioClient } from './e2e';

export interface SeedEnv {
  ACCOUNT_SID: string;
  AUTH_TOKEN: string;
  EMULATOR_URL: string;
  SYNC_SERVICE_SID: string;
}

const BATCH = 20;

/** The project's own store on the stack's Sync, to write a contact's record as the functions write it. */
export function seedStore(env: SeedEnv): SessionStore {
  return new SessionStore(twilioClient(env), { syncServiceSid: env.SYNC_SERVICE_SID, retentionSeconds: 86_400 });
}

/** Appends `turns` alternating contact/AI entries to the contact's open session. */
export async function appendTurns(env: SeedEnv, contact: string, turns: number, label = 'Question'): Promise<void> {
  const store = seedStore(env);
  for (let done = 0; done < turns; done += BATCH) {
    await store.update(contact, async ({ record }) => {
      const session = record.session;
      if (!session) throw new Error(`${contact} has no session to append to`);
      const now = new Date();
      const entries: TranscriptEntry[] = Array.from({ length: Math.min(BATCH, turns - done) }, (_, i) => {
        const n = session.messageCount + i;
        return n % 2 === 0
          ? {
              id: `SM${String(n).padStart(32, '0')}`,
              author: 'contact',
              body: `${label} ${n} about my order`,
              at: now.toISOString(),
            }
          : {
              id: `SM${String(n - 1).padStart(32, '0')}:reply`,
              author: 'ai',
              body: `Answer ${n}: orders ship within 2 business days.`,
              at: now.toISOString(),
            };
      });
      return { record: { ...record, session: appendEntries(session, entries, now) }, result: undefined };
    });
  }
  await store.settle();
}
