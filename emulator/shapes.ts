/**
 * `POST /__emulator/shapes/{name}`: a new Flex account (as after `/reset`) made into one of the shapes real
 * contact centers have, where a fresh install would be silently bypassed or would break another integration.
 * Each shape is made the way its owner made it, through Twilio's API (validated against the specs like any
 * request, and logged), except what only Twilio can do (buying a number).
 */
import type { TwilioApi } from './api';
import { ControlError, type SeededResources } from './control';
import type { ControlHandler, ControlResult } from './product';
import type { Messaging } from './products/messaging/engine';
import type { Route } from './router';
import type { EmulatorAccount } from './store';

/** The other integrations' URLs the shapes set: a CRM that reads texts and task and conversation events. */
export const OTHER_INTEGRATION = {
  sms: 'https://crm.example.com/twilio/sms',
  taskrouter: 'https://crm.example.com/twilio/taskrouter',
  conversations: 'https://crm.example.com/twilio/conversations',
} as const;

/** What a shape made: the numbers setup should wire (`--number` each), and the SIDs of what it created. */
export interface ShapeResult {
  shape: string;
  numbers: string[];
  sids: Record<string, string>;
}

/** Calls the emulator's own Twilio API as the account; answers the JSON, throws on an error status. */
type Twilio = (method: 'POST', sub: string, path: string, form: Record<string, string>) => Promise<{ sid: string }>;

interface ShapeContext {
  twilio: Twilio;
  seeded: SeededResources;
  addNumber(phoneNumber: string): void;
  numberSid(phoneNumber: string): string;
}

const US_LONG_CODE = '+12025550142';
const SECOND_NUMBER = '+15005550009';

const SHAPES: Record<string, { description: string; make(ctx: ShapeContext): Promise<ShapeResult> }> = {
  'messaging-service': {
    description: `the number is in a Messaging Service whose own inbound URL (${OTHER_INTEGRATION.sms}) wins over the number's`,
    async make(ctx) {
      const { twilio, seeded } = ctx;
      const service = await twilio('POST', 'messaging', '/v1/Services', {
        FriendlyName: 'Support line',
        InboundRequestUrl: OTHER_INTEGRATION.sms,
        UseInboundWebhookOnNumber: 'false',
      });
      await addSender(ctx, service.sid, seeded.phoneNumber);
      return { shape: 'messaging-service', numbers: [seeded.phoneNumber], sids: { messagingService: service.sid } };
    },
  },
  'flex-address': {
    description: 'the number is a Flex messaging address: autocreation sends its texts to Studio (Send to Flex)',
    async make({ twilio, seeded }) {
      const address = await twilio('POST', 'conversations', '/v1/Configuration/Addresses', {
        Type: 'sms',
        Address: seeded.phoneNumber,
        FriendlyName: 'SMS to Flex',
        'AutoCreation.Enabled': 'true',
        'AutoCreation.Type': 'studio',
        'AutoCreation.StudioFlowSid': `FW${'1'.repeat(32)}`,
      });
      return { shape: 'flex-address', numbers: [seeded.phoneNumber], sids: { addressConfiguration: address.sid } };
    },
  },
  'other-integrations': {
    description:
      "another integration owns the workspace's event callback and the Conversations service's post-event webhook",
    async make({ twilio, seeded }) {
      await twilio('POST', 'taskrouter', `/v1/Workspaces/${seeded.workspaceSid}`, {
        EventCallbackUrl: OTHER_INTEGRATION.taskrouter,
        EventsFilter: 'task.created,task.completed',
      });
      await twilio('POST', 'conversations', `/v1/Services/${seeded.conversationsServiceSid}/Configuration/Webhooks`, {
        PostWebhookUrl: OTHER_INTEGRATION.conversations,
        Filters: 'onMessageAdded',
        Method: 'POST',
      });
      return { shape: 'other-integrations', numbers: [seeded.phoneNumber], sids: {} };
    },
  },
  'us-long-code': {
    description: `a US long code (${US_LONG_CODE}) in a Messaging Service that defers to it but has no A2P 10DLC campaign`,
    async make(ctx) {
      const messagingService = await newNumberInDeferringService(ctx, US_LONG_CODE, 'Care line');
      return { shape: 'us-long-code', numbers: [US_LONG_CODE], sids: { messagingService } };
    },
  },
  'two-numbers': {
    description:
      `a second number (${SECOND_NUMBER}) for the same deployment, not wired yet, in a Messaging Service ` +
      'that defers to its numbers',
    async make(ctx) {
      const messagingService = await newNumberInDeferringService(ctx, SECOND_NUMBER, 'Second line');
      return { shape: 'two-numbers', numbers: [ctx.seeded.phoneNumber, SECOND_NUMBER], sids: { messagingService } };
    },
  },
};

const SHAPE_NAMES = Object.keys(SHAPES);

/** A bought number in a Messaging Service of its own that defers to it, as a 10DLC line is set up; its SID. */
async function newNumberInDeferringService(ctx: ShapeContext, phoneNumber: string, name: string): Promise<string> {
  ctx.addNumber(phoneNumber);
  const service = await ctx.twilio('POST', 'messaging', '/v1/Services', {
    FriendlyName: name,
    UseInboundWebhookOnNumber: 'true',
  });
  await addSender(ctx, service.sid, phoneNumber);
  return service.sid;
}

/** Makes the account's number a sender of the service, as the Console's "Add Senders" does. */
async function addSender({ twilio, numberSid }: ShapeContext, serviceSid: string, phoneNumber: string): Promise<void> {
  await twilio('POST', 'messaging', `/v1/Services/${serviceSid}/PhoneNumbers`, {
    PhoneNumberSid: numberSid(phoneNumber),
  });
}

export function shapeControlRoutes(
  api: TwilioApi,
  account: EmulatorAccount,
  messaging: Messaging,
  seeded: SeededResources,
  reset: () => void,
): Route<ControlHandler>[] {
  const authorization = `Basic ${Buffer.from(`${account.sid}:${account.authToken}`).toString('base64')}`;
  const twilio: Twilio = async (method, sub, path, form) => {
    const result = await api.handle({
      method,
      sub,
      path,
      query: new URLSearchParams(),
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(new URLSearchParams(form).toString()),
    });
    if (result.status >= 400) {
      throw new ControlError(500, `Seeding the shape failed: ${method} /${sub}${path} ${JSON.stringify(result.json)}`);
    }
    return result.json as { sid: string };
  };
  const context: ShapeContext = {
    twilio,
    seeded,
    addNumber: (phoneNumber) => void messaging.addNumber(phoneNumber, undefined),
    numberSid: (phoneNumber) => {
      const number = messaging.numberByPhone(phoneNumber);
      if (!number) throw new ControlError(500, `${phoneNumber} is not a number of this account`);
      return number.sid;
    },
  };
  return [
    {
      method: 'GET',
      path: '/__emulator/shapes',
      handler: (): ControlResult => ({
        status: 200,
        json: Object.entries(SHAPES).map(([name, shape]) => ({ name, description: shape.description })),
      }),
    },
    {
      method: 'POST',
      path: '/__emulator/shapes/{name}',
      handler: async ({ params }): Promise<ControlResult> => {
        const shape = SHAPES[params.name];
        if (!shape) throw new ControlError(404, `No shape ${params.name}; the shapes are ${SHAPE_NAMES.join(', ')}`);
        reset();
        // Reset keeps the number's SMS URL; a Flex account's number points at none of ours until setup.
        const number = messaging.defaultNumber;
        await twilio('POST', 'api', `/2010-04-01/Accounts/${account.sid}/IncomingPhoneNumbers/${number.sid}.json`, {
          SmsUrl: '',
        });
        return { status: 201, json: await shape.make(context) };
      },
    },
  ];
}
