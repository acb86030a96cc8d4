/**
 * The plugin's registration with the real @twilio/flex-ui under jsdom: the bundle's entry hands the plugin
 * class to Flex's loader, and its init adds the card and the AI mark to Flex's own content stores, shown only
 * for handed-off tasks and handoff posts. The manager is a stand-in (no Flex account here).
 */
import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import type * as FlexType from '@twilio/flex-ui';
import { AI_MARK_KEY, CARD_KEY } from '../src/plugin/register';
import { DARK } from '../src/theme';

jest.setTimeout(60_000);

type Flex = typeof FlexType;
interface Fragment {
  props: { if?: (props: unknown) => boolean; sortOrder?: number; children: React.ReactElement };
}

const marker = (kind: string) => ({ handoff: { kind, from: 0, to: 0, part: 1, parts: 1 } });
const note = { author: 'Ava', attributes: marker('handoff_note'), body: 'HANDOFF FROM THE AI' };
const handedOffTask = {
  attributes: {
    handedOff: true,
    handoffReason: 'contact_requested',
    handoffSummary: 'Wants a refund.',
    handoffSentiment: 'negative',
    handoffLanguage: 'es',
    handoffTimestamp: new Date().toISOString(),
    flex_order_id: '1042',
  },
};

let flex: Flex;
let getMessages: jest.Mock;
let manager: FlexType.Manager;
let pluginInit: jest.Mock;

function fragment(store: { fragments: unknown[] }, key: string): Fragment {
  const found = (store.fragments as Fragment[]).find((candidate) => candidate.props.children?.key === key);
  if (!found) throw new Error(`No fragment ${key} in the store`);
  return found;
}

function renderFragment(found: Fragment, props: object) {
  return render(React.cloneElement(found.props.children, props));
}

beforeAll(() => {
  // Flex's and FlexPlugin's start-up chatter.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  flex = require('@twilio/flex-ui') as Flex;
  getMessages = jest.fn(async () => ({ items: [note] }));
  manager = {
    localization: { localeTag: 'es-ES' },
    conversationsClient: { getConversationBySid: jest.fn(async () => ({ getMessages })) },
  } as unknown as FlexType.Manager;
  pluginInit = jest.fn();
  (window as unknown as { Twilio: unknown }).Twilio = { Flex: { Plugins: { init: pluginInit } } };
  require('../src/index');
  const Plugin = pluginInit.mock.calls[0][0] as new () => { init(f: Flex, m: FlexType.Manager): void };
  new Plugin().init(flex, manager);
});

describe('the bundle entry', () => {
  test("hands one plugin class to Flex's plugin loader, named as the build names it", () => {
    expect(pluginInit).toHaveBeenCalledTimes(1);
    const Plugin = pluginInit.mock.calls[0][0] as new () => { name: string; uniqueName: string; version: string };
    const plugin = new Plugin();
    expect(plugin.name).toBe('FlexSmsHandoffPlugin');
    expect(plugin.uniqueName).toBe('flex-sms-handoff-plugin');
    expect(plugin.version).toBe('0.0.0-test');
  });
});

describe('the Handoff card in the task info panel', () => {
  test('is registered once, at the top', () => {
    const cards = (flex.TaskInfoPanel.Content.fragments as unknown as Fragment[]).filter(
      (candidate) => candidate.props.children?.key === CARD_KEY,
    );
    expect(cards).toHaveLength(1);
    expect(cards[0].props.sortOrder).toBe(-1);
  });

  test("shows for a handed-off task, in the rep's Flex locale", () => {
    const card = fragment(flex.TaskInfoPanel.Content, CARD_KEY);
    expect(card.props.if?.({ task: handedOffTask })).toBe(true);
    renderFragment(card, { task: handedOffTask });
    expect(screen.getByRole('region', { name: 'Traspaso desde la IA' })).toBeInTheDocument();
    expect(screen.getByText('El contacto pidió hablar con una persona')).toBeInTheDocument();
    expect(screen.getByText('1042')).toBeInTheDocument();
  });

  test("follows Flex's dark theme and the customer's own colours", () => {
    const configured = manager as unknown as { configuration?: unknown };
    configured.configuration = {
      theme: { isLight: false, tokens: { borderColors: { colorBorderPrimary: 'rgb(110, 63, 243)' } } },
    };
    try {
      renderFragment(fragment(flex.TaskInfoPanel.Content, CARD_KEY), { task: handedOffTask });
      expect(screen.getByRole('region', { name: 'Traspaso desde la IA' })).toHaveStyle({
        background: DARK.colorBackgroundBody,
        color: DARK.colorText,
        borderLeft: '4px solid rgb(110, 63, 243)',
      });
    } finally {
      delete configured.configuration;
    }
  });

  test.each([
    ['an ordinary task', { attributes: { from: '+15551234567', flex_order_id: '1042' } }],
    ['a task with no attributes', { attributes: undefined }],
    ['no task (the panel before a task is selected)', undefined],
  ])('is left out for %s', (_name, task) => {
    expect(fragment(flex.TaskInfoPanel.Content, CARD_KEY).props.if?.({ task })).toBe(false);
  });
});

describe('the AI mark on message bubbles', () => {
  const bubble = (source: object, conversationSid = 'CH1') => ({ conversationSid, message: { source } });

  test('is considered only for handoff posts', () => {
    const mark = fragment(flex.MessageBubble.Content, AI_MARK_KEY);
    expect(mark.props.if?.(bubble(note))).toBe(true);
    expect(mark.props.if?.(bubble({ author: 'Ava', attributes: {} }))).toBe(false);
    expect(mark.props.if?.({})).toBe(false);
  });

  test("marks the handoff note with the AI's name at once", () => {
    renderFragment(fragment(flex.MessageBubble.Content, AI_MARK_KEY), bubble(note));
    expect(screen.getByText('Asistente de IA · Ava')).toBeInTheDocument();
  });

  test("marks the AI's transcript posts once the note's author is known, one request per conversation", async () => {
    const mark = fragment(flex.MessageBubble.Content, AI_MARK_KEY);
    const ai = { author: 'Ava', attributes: marker('transcript') };
    renderFragment(mark, bubble(ai, 'CH2'));
    renderFragment(mark, bubble(ai, 'CH2'));
    await waitFor(() => expect(screen.getAllByText('Asistente de IA · Ava')).toHaveLength(2));
    expect(getMessages).toHaveBeenCalledTimes(1);
    expect(getMessages).toHaveBeenCalledWith(10, 0, 'forward');
  });

  test("leaves the contact's and a rep's transcript posts unmarked", async () => {
    const mark = fragment(flex.MessageBubble.Content, AI_MARK_KEY);
    const { container: contact } = renderFragment(
      mark,
      bubble({ author: '+15551234567', attributes: marker('transcript') }, 'CH3'),
    );
    const { container: rep } = renderFragment(
      mark,
      bubble({ author: 'Sam Rep', attributes: marker('transcript') }, 'CH3'),
    );
    await waitFor(() => expect(getMessages).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(contact).toBeEmptyDOMElement();
    expect(rep).toBeEmptyDOMElement();
  });

  test('marks nothing when the conversation cannot be read, and asks again next time', async () => {
    getMessages.mockRejectedValueOnce(new Error('forbidden'));
    const mark = fragment(flex.MessageBubble.Content, AI_MARK_KEY);
    const ai = { author: 'Ava', attributes: marker('transcript') };
    const calls = getMessages.mock.calls.length;
    const first = renderFragment(mark, bubble(ai, 'CH4'));
    await waitFor(() => expect(getMessages.mock.calls.length).toBe(calls + 1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(first.container).toBeEmptyDOMElement();
    renderFragment(mark, bubble(ai, 'CH4'));
    expect(await screen.findByText('Asistente de IA · Ava')).toBeInTheDocument();
  });
});
