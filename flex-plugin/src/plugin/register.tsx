/**
 * What the plugin adds to Flex: the Handoff card at the top of the task info panel of a handed-off task, and
 * the AI mark on the AI's messages in the conversation thread. Other tasks and messages are left as they are.
 */
import React from 'react';
import type * as Flex from '@twilio/flex-ui';
import { postKind } from '../ai-messages';
import { isHandedOff } from '../handoff-card';
import { FlexAiAuthorMark, type BubbleProps } from './FlexAiAuthorMark';
import { FlexHandoffCard, type PanelProps } from './FlexHandoffCard';

export const CARD_KEY = 'flex-sms-handoff-card';
export const AI_MARK_KEY = 'flex-sms-handoff-ai-author';

export function registerHandoff(flex: typeof Flex, manager: Flex.Manager): void {
  flex.TaskInfoPanel.Content.add(<FlexHandoffCard key={CARD_KEY} manager={manager} />, {
    sortOrder: -1,
    if: (props: PanelProps) => isHandedOff(props.task?.attributes),
  });
  flex.MessageBubble.Content.add(<FlexAiAuthorMark key={AI_MARK_KEY} manager={manager} />, {
    sortOrder: -1,
    if: (props: BubbleProps) => postKind(props.message?.source ?? {}) !== undefined,
  });
}
