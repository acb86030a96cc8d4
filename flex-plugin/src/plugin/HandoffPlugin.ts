import type * as Flex from '@twilio/flex-ui';
import { FlexPlugin } from '@twilio/flex-plugin';
import { registerHandoff } from './register';

export const PLUGIN_NAME = 'FlexSmsHandoffPlugin';

export default class HandoffPlugin extends FlexPlugin {
  constructor() {
    super(PLUGIN_NAME);
  }

  init(flex: typeof Flex, manager: Flex.Manager): void {
    registerHandoff(flex, manager);
  }
}
