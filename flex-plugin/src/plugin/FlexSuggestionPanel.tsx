/**
 * The suggestion panel in Flex, above the message input of a handed-off task's conversation (a MessagingCanvas
 * child: Flex passes it the conversation and the task's SID). It asks again when the contact writes, inserts a
 * suggestion with Flex's own SetInputText action, and calls /flex/assist with the rep's Flex token.
 */
import React, { useMemo } from 'react';
import type * as Flex from '@twilio/flex-ui';
import { createAssistClient, SuggestionPanel, type AssistClient } from '../assist';
import { flexTheme } from './flex-theme';
import { flexLocale } from './locale';

/** The part of Flex's MessagingCanvas children props used here. */
export interface CanvasProps {
  /** The conversation's SID. */
  sid?: string;
  taskSid?: string;
  conversation?: {
    messages?: { isFromMe?: boolean; source?: { sid?: string; body?: string | null } }[];
  };
}

export interface FlexSuggestionPanelProps extends CanvasProps {
  flex: typeof Flex;
  manager: Flex.Manager;
  /** Where /flex/assist is: the deployment the plugin's bundle is served from. */
  assistUrl: string;
}

/** The rep's Flex token, refreshed by Flex while it runs (twilio-facts: the Manager's user token). */
export function flexToken(manager: Flex.Manager): string | undefined {
  const state = manager.store?.getState?.() as { flex?: { session?: { ssoTokenPayload?: { token?: string } } } };
  return state?.flex?.session?.ssoTokenPayload?.token ?? manager.user?.token;
}

/** The task of a conversation shown in Flex (the worker's task whose conversation it is). */
export function taskOfConversation(flex: typeof Flex, conversationSid: string | undefined) {
  if (!conversationSid) return undefined;
  try {
    return flex.TaskHelper.getTaskFromConversationSid(conversationSid) ?? undefined;
  } catch {
    return undefined;
  }
}

export function FlexSuggestionPanel({
  flex,
  manager,
  assistUrl,
  sid,
  taskSid,
  conversation,
}: FlexSuggestionPanelProps) {
  const client: AssistClient = useMemo(
    () => createAssistClient({ url: assistUrl, token: () => flexToken(manager) }),
    [assistUrl, manager],
  );
  const task = taskSid ?? taskOfConversation(flex, sid)?.taskSid;
  if (!sid || !task) return null;
  const messages = conversation?.messages ?? [];
  const lastFromContact = [...messages].reverse().find((message) => !message.isFromMe);
  const lastFromRep = [...messages].reverse().find((message) => message.isFromMe);
  return (
    <SuggestionPanel
      taskSid={task}
      client={client}
      refreshKey={lastFromContact?.source?.sid}
      repReply={lastFromRep?.source?.body ?? undefined}
      locale={flexLocale(manager)}
      theme={flexTheme(manager)}
      onInsert={(body) => {
        flex.Actions.invokeAction('SetInputText', { conversationSid: sid, body }).catch(() => undefined);
      }}
    />
  );
}
