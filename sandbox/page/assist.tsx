/**
 * The desk's rep assist: the plugin's own suggestion panel, above the reply box as in Flex, calling /flex/assist
 * (through the sandbox server, see server.ts) with a Flex token the emulator issued for Alice Rep. Insert fills
 * the desk's reply box, as Flex's SetInputText fills Flex's; the rep sends.
 */
import React, { useMemo } from 'react';
import { postKind } from '../../flex-plugin/src/ai-messages';
import { createAssistClient, SuggestionPanel } from '../../flex-plugin/src/assist';
import { isHandedOff } from '../../flex-plugin/src/handoff-card';
import type { Task, ThreadMessage } from './api';

/** Flex gives a logged-in rep a token for the session; the emulator issues one for Alice Rep, renewed near its end. */
let aliceToken: { token: string; expiresAt: number } | undefined;
const RENEW_BEFORE_MS = 60_000;

async function flexTokenOfAlice(): Promise<string> {
  if (!aliceToken || aliceToken.expiresAt - Date.now() < RENEW_BEFORE_MS) {
    const response = await fetch('/api/emulator/flex/tokens', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    if (!response.ok) throw new Error(`No Flex token for Alice Rep: ${response.status}`);
    const { token, expiration } = (await response.json()) as { token: string; expiration: string };
    aliceToken = { token, expiresAt: Date.parse(expiration) };
  }
  return aliceToken.token;
}

const ASSISTED = new Set<Task['assignmentStatus']>(['reserved', 'assigned', 'wrapping']);

export function DeskAssist({
  task,
  messages,
  onInsert,
}: {
  task: Task;
  messages: ThreadMessage[];
  onInsert: (text: string) => void;
}) {
  const client = useMemo(() => createAssistClient({ url: '/api/assist', token: flexTokenOfAlice }), []);
  if (!isHandedOff(task.attributes) || !ASSISTED.has(task.assignmentStatus)) return null;
  // Live messages only: the handoff's own posts (note, transcript) carry its marker.
  const live = messages.filter((message) => postKind(message) === undefined);
  const fromContact = (message: ThreadMessage) => message.author === task.attributes.from;
  const lastFromContact = [...live].reverse().find(fromContact);
  const lastFromRep = [...live].reverse().find((message) => !fromContact(message));
  return (
    <div data-testid="assist">
      <SuggestionPanel
        taskSid={task.sid}
        client={client}
        refreshKey={lastFromContact?.sid}
        repReply={lastFromRep?.body ?? undefined}
        locale="en-US"
        onInsert={onInsert}
      />
    </div>
  );
}
