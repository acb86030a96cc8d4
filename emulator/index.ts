/** The local Twilio emulator: a stateful HTTP server that the real `twilio` SDK reaches through the seam. */
import { systemClock } from './clock';
import { launchEmulator, type EmulatorOptions, type RunningEmulator } from './launch';

export type { EmulatorOptions, RunningEmulator } from './launch';
export type { EmulatorAccount } from './store';

export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return launchEmulator(options, systemClock);
}
