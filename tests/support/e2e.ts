/** What end-to-end tests use to act as Twilio and as a contact, and to look inside Sync afterwards. */
import { randomInt } from 'node:crypto';
import { createTwilioClient } from '../../assets/twilio/gateway.private';
import { controlOk } from '../../emulator/testing';
import { contactMapName } from '../../assets/session/store.private';
import type { ContactRecord } from '../../assets/session/model.private';

const STACK_KEYS = [
  'EMULATOR_URL',
  'FUNCTIONS_URL',
  'ACCOUNT_SID',
  'AUTH_TOKEN',
  'TWILIO_PHONE_NUMBER',
  'SYNC_SERVICE_SID',
  'CONVERSATIONS_SERVICE_SID',
  'FLEX_WORKSPACE_SID',
  'FLEX_WORKFLOW_SID',
  'HANDOFF_API_KEY',
] as const;

type StackEnv = Record<(typeof STACK_KEYS)[number], string>;

export function stackEnv(): StackEnv {
  const missing = STACK_KEYS.filter((key) => !process.env[key]);
  if (missing.length > 0) {
    throw new Error(`The e2e stack is not running (tests/support/global-setup.ts sets it up): ${missing.join(', ')}`);
  }
  return Object.fromEntries(STACK_KEYS.map((key) => [key, process.env[key] as string])) as StackEnv;
}

/** The SDK on the emulator of a stack: the test run's (see stackEnv) unless given one started in the file. */
export function twilioClient(env: Pick<StackEnv, 'ACCOUNT_SID' | 'AUTH_TOKEN' | 'EMULATOR_URL'> = stackEnv()) {
  return createTwilioClient({
    ACCOUNT_SID: env.ACCOUNT_SID,
    AUTH_TOKEN: env.AUTH_TOKEN,
    TWILIO_API_BASE_URL: env.EMULATOR_URL,
  });
}

const usedNumbers = new Set<string>();

/**
 * A fresh, valid US number per call: random over a billion numbers, so test files sharing the stack (and
 * workers sharing a process id) practically never share a contact.
 */
export function newContactNumber(): string {
  for (;;) {
    const number = `+12${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
    if (!usedNumbers.has(number)) {
      usedNumbers.add(number);
      return number;
    }
  }
}

export interface SmsInput {
  from: string;
  body?: string;
  to?: string;
  media?: { contentType: string; base64: string }[];
  messageSid?: string;
  optOutType?: 'STOP' | 'START' | 'HELP';
  extraParams?: Record<string, string>;
  omitParams?: string[];
  signature?: 'valid' | 'invalid' | 'none';
  accountSid?: string;
}

export interface SmsResult {
  messageSid: string;
  status: number;
  contentType: string;
  body: string;
  replies: string[];
}

export function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  return controlOk<T>({ url: stackEnv().EMULATOR_URL }, method, path, body);
}

/** The contact texts the Twilio number; the emulator delivers the signed webhook and reads the TwiML. */
export function sendSms(input: SmsInput): Promise<SmsResult> {
  return control<SmsResult>('POST', '/sms', input);
}

export async function reply(from: string, body: string): Promise<string | undefined> {
  const result = await sendSms({ from, body });
  if (result.status !== 200) throw new Error(`webhook answered ${result.status}: ${result.body}`);
  return result.replies[0];
}

export function violations(): Promise<{ method: string; url: string; problems: string[] }[]> {
  return control('GET', '/violations');
}

export interface Fault {
  method?: string;
  path: string;
  status?: number;
  code?: number;
  times?: number;
  after?: number;
  delayMs?: number;
}

export function injectFault(fault: Fault) {
  return control('POST', '/faults', fault);
}

/** The faults still armed, each with how many requests it hit. */
export function armedFaults(): Promise<(Fault & { hits: number })[]> {
  return control('GET', '/faults');
}

export function clearFaults() {
  return control('DELETE', '/faults');
}

/** Fails the test file when any request to the emulator broke Twilio's OpenAPI specs. */
export function expectNoSpecViolations(): void {
  afterAll(async () => {
    expect(await violations()).toEqual([]);
  });
}

export async function readContact(phone: string): Promise<{ record: ContactRecord; revision: string } | undefined> {
  try {
    const item = await twilioClient()
      .sync.v1.services(stackEnv().SYNC_SERVICE_SID)
      .syncMaps(contactMapName(phone))
      .syncMapItems('contact')
      .fetch();
    return { record: item.data as ContactRecord, revision: item.revision };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

export async function writeContact(phone: string, record: ContactRecord): Promise<void> {
  await twilioClient()
    .sync.v1.services(stackEnv().SYNC_SERVICE_SID)
    .syncMaps(contactMapName(phone))
    .syncMapItems('contact')
    .update({ data: record });
}
