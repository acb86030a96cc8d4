/**
 * What the plugin adds to Flex: the Handoff card at the top of the task info panel of a handed-off task, the
 * AI mark on the AI's messages in the conversation thread, and rep assist's suggestion panel above the message
 * input of a handed-off task. Other tasks and messages are left as they are.
 */
import React from 'react';
import type * as Flex from '@twilio/flex-ui';
import { postKind } from '../ai-messages';
import { isHandedOff } from '../handoff-card';
import { FlexAiAuthorMark, type BubbleProps } from './FlexAiAuthorMark';
import { FlexHandoffCard, type PanelProps } from './FlexHandoffCard';
import { FlexSuggestionPanel, taskOfConversation, type CanvasProps } from './FlexSuggestionPanel';

export const CARD_KEY = 'flex-sms-handoff-card';
export const AI_MARK_KEY = 'flex-sms-handoff-ai-author';
export const ASSIST_KEY = 'flex-sms-handoff-assist';

/**
 * Where /flex/assist is: the deployment serves this bundle as its public asset `/plugins/…js`, so the function
 * is on the same domain. Flex loads a plugin as a classic script, whose own element names its URL while it runs.
 */
export function assistUrlFrom(scriptUrl: string | undefined): string | undefined {
  if (!scriptUrl) return undefined;
  try {
    return new URL('/flex/assist', scriptUrl).href;
  } catch {
    return undefined;
  }
}

const bundleUrl =
  typeof document === 'undefined' ? undefined : (document.currentScript as HTMLScriptElement | null)?.src;

export function registerHandoff(flex: typeof Flex, manager: Flex.Manager, assistUrl = assistUrlFrom(bundleUrl)): void {
  flex.TaskInfoPanel.Content.add(<FlexHandoffCard key={CARD_KEY} manager={manager} />, {
    sortOrder: -1,
    if: (props: PanelProps) => isHandedOff(props.task?.attributes),
  });
  flex.MessageBubble.Content.add(<FlexAiAuthorMark key={AI_MARK_KEY} manager={manager} />, {
    sortOrder: -1,
    if: (props: BubbleProps) => postKind(props.message?.source ?? {}) !== undefined,
  });
  // Without a URL (a bundle served from elsewhere than the deployment) there is no function to ask.
  if (!assistUrl) return;
  flex.MessagingCanvas.Content.add(
    <FlexSuggestionPanel key={ASSIST_KEY} flex={flex} manager={manager} assistUrl={assistUrl} />,
    {
      sortOrder: 1,
      if: (props: CanvasProps) => isHandedOff(taskOfConversation(flex, props.sid)?.attributes),
    },
  );
}
