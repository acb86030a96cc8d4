/** The AI mark as a MessageBubble child: Flex passes it the bubble's props (the message, its conversation). */
import React, { useEffect, useState } from 'react';
import type * as Flex from '@twilio/flex-ui';
import { AiAuthorMark, isAiMessage, postKind, type ThreadMessage } from '../ai-messages';
import { aiNameIn } from './ai-name';
import { flexLocale } from './locale';

/** The part of Flex's MessageBubble props used here (Flex does not export their type). */
export interface BubbleProps {
  conversationSid?: string;
  message?: { source?: ThreadMessage };
}

export interface FlexAiAuthorMarkProps extends BubbleProps {
  manager: Flex.Manager;
}

export function FlexAiAuthorMark({ manager, message, conversationSid }: FlexAiAuthorMarkProps) {
  const source: ThreadMessage = message?.source ?? {};
  // The note and condensed blocks carry the AI's name themselves; a transcript post needs the note's.
  const ownName = postKind(source) === 'transcript' ? undefined : (source.author ?? undefined);
  const [noteAuthor, setNoteAuthor] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (ownName !== undefined || !conversationSid) return undefined;
    let mounted = true;
    void aiNameIn(manager, conversationSid).then((name) => {
      if (mounted) setNoteAuthor(name);
    });
    return () => {
      mounted = false;
    };
  }, [manager, conversationSid, ownName]);
  const aiName = ownName ?? noteAuthor;
  if (aiName === undefined || !isAiMessage(source, aiName)) return null;
  return <AiAuthorMark name={aiName} locale={flexLocale(manager)} />;
}
