/** The bundle's entry: hands the plugin class to Flex's plugin loader (`Twilio.Flex.Plugins.init`). */
import { loadPlugin } from '@twilio/flex-plugin';
import HandoffPlugin from './plugin/HandoffPlugin';

loadPlugin(HandoffPlugin);
