/**
 * Which of the account's numbers setup and the doctor are about, and their steps. The numbers named (--number,
 * repeatable, or --messaging-service; else TWILIO_PHONE_NUMBER; else the account's only number) are the ones
 * setup wires. The account's other numbers whose texts are already meant for this deployment (their own SMS URL,
 * or their Messaging Service's incoming-message URL, points at it: an earlier `setup --number` wired them) are
 * found, checked the same way, and left as they are: setup changes only the numbers it was asked to.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { hostOf } from './deployment';
import type { AdminEnv, Flags } from './env';
import {
  complianceStep,
  type FlexAddress,
  flexAddressStep,
  type MessagingServiceInfo,
  messagingServiceStep,
  readFlexAddresses,
  readMessagingServices,
  serviceOf,
} from './messaging-services';
import { failedStep, LARGEST_PAGE, type Step } from './step';
import { numberStep } from './webhooks';

/** One of the account's numbers, with the settings setup reads and keeps. */
export interface AccountNumber {
  sid: string;
  phoneNumber: string;
  smsUrl: string | null;
  smsMethod: string | null;
}

/** A number setup and the doctor are about, and why. */
export interface DeploymentNumber {
  phoneNumber: string;
  /** Named: setup wires it. Otherwise found pointing at this deployment: checked, never changed. */
  asked: boolean;
  /** `--number`, `TWILIO_PHONE_NUMBER`, `its SMS URL points at this deployment`, … */
  why: string;
}

export interface NumberSteps {
  numbers: DeploymentNumber[];
  steps: Step[];
}

type Choice = { number: AccountNumber; why: string } | { problem: string; fix: string; phoneNumber?: string };

const list = (items: readonly string[]) => items.join(', ');

/** Every number of the account, a thousand to a page (the SDK reads on page after page). */
export async function listNumbers(client: TwilioClient): Promise<AccountNumber[]> {
  const numbers = await retryOnServerError(() => client.incomingPhoneNumbers.list({ pageSize: LARGEST_PAGE }));
  return numbers.map(({ sid, phoneNumber, smsUrl, smsMethod }) => ({ sid, phoneNumber, smsUrl, smsMethod }));
}

/** The numbers named on the command line or in `.env`, else the account's only one; none among several. */
function namedNumbers(
  owned: readonly AccountNumber[],
  services: readonly MessagingServiceInfo[],
  env: AdminEnv,
  flags: Pick<Flags, 'numbers' | 'messagingService'>,
): Choice[] {
  if (flags.messagingService) return serviceNumbers(owned, services, flags.messagingService);
  const [named, why] = flags.numbers.length
    ? [flags.numbers, '--number']
    : [env.TWILIO_PHONE_NUMBER ? [env.TWILIO_PHONE_NUMBER] : [], 'TWILIO_PHONE_NUMBER'];
  if (named.length) {
    return [...new Set(named)].map((phoneNumber): Choice => {
      const number = owned.find((n) => n.phoneNumber === phoneNumber);
      if (number) return { number, why };
      return {
        phoneNumber,
        problem: `${phoneNumber} is not a number of this account`,
        fix: 'Set TWILIO_PHONE_NUMBER (or --number) to one of yours: Console → Phone Numbers → Manage → Active numbers',
      };
    });
  }
  if (owned.length === 1) return [{ number: owned[0], why: "the account's only number" }];
  if (owned.length === 0) {
    return [{ problem: 'this account has no phone number', fix: 'Buy one: Console → Phone Numbers → Buy a number' }];
  }
  // Several, none named: the ones already pointing at the deployment are its numbers, if any (see numberSteps).
  return [];
}

/** --messaging-service: every phone number of that service. */
function serviceNumbers(
  owned: readonly AccountNumber[],
  services: readonly MessagingServiceInfo[],
  sid: string,
): Choice[] {
  const service = services.find((s) => s.sid === sid);
  const where = 'Console → Messaging → Services';
  if (!service) {
    return [
      {
        problem: `--messaging-service ${sid} is not a Messaging Service of this account`,
        fix: `Use one of yours: ${where}`,
      },
    ];
  }
  const numbers = owned.filter((n) => service.senders.some((sender) => sender.sid === n.sid));
  if (numbers.length === 0) {
    return [
      {
        problem: `Messaging Service "${service.friendlyName}" has no phone number`,
        fix: `Add one to its Sender Pool: ${where}`,
      },
    ];
  }
  return numbers.map((number) => ({ number, why: `--messaging-service ${sid}` }));
}

/** The account's other numbers whose texts come to this deployment, by their own URL or their service's. */
function foundNumbers(
  owned: readonly AccountNumber[],
  services: readonly MessagingServiceInfo[],
  named: readonly AccountNumber[],
  domain: string,
): { number: AccountNumber; why: string }[] {
  return owned.flatMap((number) => {
    if (named.includes(number)) return [];
    if (hostOf(number.smsUrl) === domain) return [{ number, why: 'its SMS URL points at this deployment' }];
    const service = serviceOf(services, number.sid);
    if (service && hostOf(service.inboundRequestUrl) === domain) {
      return [{ number, why: `Messaging Service "${service.friendlyName}" sends its texts to this deployment` }];
    }
    return [];
  });
}

function noNumberStep({ problem, fix, phoneNumber }: { problem: string; fix: string; phoneNumber?: string }): Step {
  const about = phoneNumber ? { numbers: [phoneNumber] } : {};
  return { id: 'number', subject: 'Twilio number', status: 'broken', detail: problem, fix, changes: [], ...about };
}

/** Setup's fixes begin with the command; for numbers it was not asked about, the command has to name them. */
function namingNumbers(fix: string | undefined, numbers: readonly string[]): string | undefined {
  const flags = numbers.map((phoneNumber) => `--number ${phoneNumber}`).join(' ');
  return fix?.replace(/^npm run setup( --)?/, `npm run setup -- ${flags}`);
}

/** A step about found numbers: checked and reported as any other, never applied. */
function leftAlone(step: Step, numbers: readonly string[]): Step {
  if (step.status === 'ok' && !step.apply) return step;
  return {
    ...step,
    notAsked: true,
    fix: namingNumbers(step.fix, numbers),
    changes: [],
    apply: undefined,
    confirm: undefined,
    action: undefined,
  };
}

/**
 * Per number: its SMS URL and its carrier registration; per Messaging Service holding some of them, its
 * inbound setting (which wins over the numbers' own URLs); per Flex messaging address among them, that texts
 * bypass the AI. Each step names the numbers it is about.
 */
export async function numberSteps(
  client: TwilioClient,
  env: AdminEnv,
  flags: Pick<Flags, 'numbers' | 'messagingService'>,
  domain: string | undefined,
): Promise<NumberSteps> {
  const owned = await listNumbers(client);
  let services: MessagingServiceInfo[] = [];
  let addresses: FlexAddress[] = [];
  let unread: Step | undefined;
  try {
    [services, addresses] = await Promise.all([readMessagingServices(client), readFlexAddresses(client)]);
  } catch (error) {
    // The numbers' own settings can still be checked; where their texts really go cannot.
    unread = failedStep('messaging-service', 'Messaging Services and Flex messaging addresses', error);
  }
  // Without the services, --messaging-service names nothing that can be read.
  if (unread && flags.messagingService) return { numbers: [], steps: [unread] };
  const choices = namedNumbers(owned, services, env, flags);
  const named = choices.flatMap((choice) => ('number' in choice ? [choice] : []));
  const asked = named.map((n) => n.number);
  const found = domain ? foundNumbers(owned, services, asked, domain) : [];
  // Named numbers first, in the order given: the plan reads from what was asked to what was found.
  const numbers = [...named.map((n) => ({ ...n, asked: true })), ...found.map((n) => ({ ...n, asked: false }))];
  /** The step, naming its numbers; left alone when none of them was named. */
  const about = (step: Step, ours: readonly AccountNumber[]): Step => {
    const phones = ours.map((n) => n.phoneNumber);
    const tagged = { ...step, numbers: phones };
    return ours.some((n) => asked.includes(n)) ? tagged : leftAlone(tagged, phones);
  };
  const problems = choices.flatMap((choice) => ('problem' in choice ? [noNumberStep(choice)] : []));
  if (choices.length === 0 && found.length === 0) {
    problems.push(
      noNumberStep({
        problem: `this account has ${owned.length} numbers: ${list(owned.map((n) => n.phoneNumber))}`,
        fix: 'Say which ones contacts text: TWILIO_PHONE_NUMBER in .env, --number (repeatable) or --messaging-service',
      }),
    );
  }
  const all = numbers.map((n) => n.number);
  const numberChecks = all.map((n) => about(numberStep(client, n, domain, serviceOf(services, n.sid)), [n]));
  if (unread) return { numbers: toReport(numbers), steps: [...problems, ...numberChecks, unread] };

  const serviceChecks = services.flatMap((service) => {
    const inService = (n: AccountNumber) => service.senders.some((sender) => sender.sid === n.sid);
    const ours = all.filter(inService);
    if (ours.length === 0) return [];
    const others = owned.filter((n) => inService(n) && !ours.includes(n));
    return [about(messagingServiceStep(client, service, ours, others, domain), ours)];
  });
  const compliance = await Promise.all(
    all.map(async (n) => {
      const step = await complianceStep(client, n, serviceOf(services, n.sid));
      return step && about(step, [n]);
    }),
  );
  const addressChecks = all.flatMap((number) =>
    addresses
      .filter((a) => a.address === number.phoneNumber)
      .map((a) => about(flexAddressStep(client, number, a), [number])),
  );
  return {
    numbers: toReport(numbers),
    steps: [
      ...problems,
      ...numberChecks,
      ...serviceChecks,
      ...addressChecks,
      ...compliance.filter((step): step is Step => step !== undefined),
    ],
  };
}

function toReport(numbers: { number: AccountNumber; why: string; asked: boolean }[]): DeploymentNumber[] {
  return numbers.map(({ number, why, asked }) => ({ phoneNumber: number.phoneNumber, asked, why }));
}
