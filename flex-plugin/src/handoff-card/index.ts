/** The card's public surface, for the plugin and for the local sandbox (React 17, no Flex). */
export { HandoffCard, SUMMARY_FOLD, type HandoffCardProps } from './HandoffCard';
export { isHandedOff, readHandoff, humaniseKey, type HandoffView } from './attributes';
