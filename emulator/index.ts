/** The local Twilio emulator: a stateful HTTP server that the real `twilio` SDK reaches through the seam. */
import { systemClock } from './clock';
import { launchEmulator } from './launch';
import type { SeededResources } from './control';
import type { EmulatorAccount } from './store';

export type { EmulatorAccount } from './store';

export interface EmulatorOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a generated AC… SID and a 32-hex token. */
  account?: EmulatorAccount;
  /** Added to every Twilio API call (not to control routes). */
  latencyMs?: number;
  /** E.164 of the provisioned Twilio number, default '+15005550006'. */
  phoneNumber?: string;
  /** The number's incoming-message webhook (also settable through IncomingPhoneNumbers or the control API). */
  smsUrl?: string;
  /** The seeded workspace's EventCallbackUrl (also settable through the Workspace API). */
  taskrouterEventsUrl?: string;
  /**
   * The seeded Conversations service's post-event webhook URL, with the filters onMessageAdded,
   * onConversationStateUpdated and onParticipantAdded, method POST.
   */
  conversationsWebhookUrl?: string;
}

export interface RunningEmulator extends SeededResources {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  account: EmulatorAccount;
  close(): Promise<void>;
}

export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return launchEmulator(options, systemClock);
}
