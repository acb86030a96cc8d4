/**
 * Rep assist in the plugin: the suggestion panel on its own (suggestions, insert, refresh, teach, the quiet
 * failure state) and as the plugin registers it in the real @twilio/flex-ui under jsdom, where Insert invokes
 * Flex's own SetInputText action and the calls to /flex/assist carry the rep's Flex token. The function is a
 * stand-in here (its real checks run in the root's e2e tests against the emulator).
 */
import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type * as FlexType from '@twilio/flex-ui';
import { createAssistClient, SuggestionPanel, type AssistClient, type Suggestions } from '../src/assist';
import { DARK, themeOf } from '../src/theme';

jest.setTimeout(60_000);

const RETURNS =
  'You can return unworn items with tags within 30 days of delivery. Start a return at acmeoutfitters.example/returns.';
const answer: Suggestions = {
  question: 'how do I return an item',
  questionId: 'SM1',
  suggestions: [
    { topic: 'Returns', answer: RETURNS, confident: true },
    { topic: 'Exchanges', answer: 'Exchanges are free within 30 days.', confident: false },
    { topic: 'Refund timing', answer: 'Refunds reach you in 5 to 10 business days.', confident: false },
  ],
  topics: ['Opening hours', 'Returns', 'Exchanges', 'Refund timing'],
  drafts: false,
};

function client(overrides: Partial<AssistClient> = {}): jest.Mocked<AssistClient> {
  return {
    suggest: jest.fn(async () => answer),
    draft: jest.fn(async () => ({ questionId: null })),
    teach: jest.fn(async () => undefined),
    ...overrides,
  } as jest.Mocked<AssistClient>;
}

describe('the suggestion panel', () => {
  test('shows the question and up to three answers, the best match marked, each one click from the input', async () => {
    const onInsert = jest.fn();
    const assist = client();
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={onInsert} />);
    expect(screen.getByText('Looking in the knowledge base…')).toBeInTheDocument();
    expect(await screen.findByText('“how do I return an item”')).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(3);
    const returns = screen.getAllByRole('article')[0];
    expect(within(returns).getByText('Returns')).toBeInTheDocument();
    expect(within(returns).getByText('Best match')).toBeInTheDocument();
    fireEvent.click(within(returns).getByRole('button', { name: 'Insert: Returns' }));
    expect(onInsert).toHaveBeenCalledWith(RETURNS);
    expect(assist.suggest).toHaveBeenCalledWith('WT1', expect.any(AbortSignal));
  });

  test("puts an LLM's drafted reply first once it comes, without holding back the topics", async () => {
    const onInsert = jest.fn();
    let deliver: (draft: { questionId: string; draft: string }) => void = () => undefined;
    const assist = client({
      suggest: jest.fn(async () => ({ ...answer, drafts: true })),
      draft: jest.fn(() => new Promise((resolve) => (deliver = resolve))),
    });
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={onInsert} />);
    expect(await screen.findAllByRole('article')).toHaveLength(3);
    expect(assist.draft).toHaveBeenCalledWith('WT1', expect.any(AbortSignal));
    deliver({ questionId: 'SM1', draft: 'Happy to help: returns are free.' });
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(4));
    const cards = screen.getAllByRole('article');
    expect(within(cards[0]).getByText('Drafted reply')).toBeInTheDocument();
    fireEvent.click(within(cards[0]).getByRole('button', { name: /Insert/ }));
    expect(onInsert).toHaveBeenCalledWith('Happy to help: returns are free.');
  });

  test('asks for no draft when the deployment has no LLM', async () => {
    const assist = client();
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} />);
    await screen.findAllByRole('article');
    expect(assist.draft).not.toHaveBeenCalled();
  });

  test('asks again when the contact writes (a new refresh key), not on other renders', async () => {
    const assist = client();
    const { rerender } = render(
      <SuggestionPanel taskSid="WT1" client={assist} refreshKey="IM1" onInsert={jest.fn()} />,
    );
    await screen.findByText('“how do I return an item”');
    rerender(<SuggestionPanel taskSid="WT1" client={assist} refreshKey="IM1" onInsert={jest.fn()} repReply="hi" />);
    expect(assist.suggest).toHaveBeenCalledTimes(1);
    assist.suggest.mockResolvedValueOnce({ ...answer, question: 'and exchanges?', questionId: 'SM2' });
    rerender(<SuggestionPanel taskSid="WT1" client={assist} refreshKey="IM2" onInsert={jest.fn()} />);
    expect(await screen.findByText('“and exchanges?”')).toBeInTheDocument();
    expect(assist.suggest).toHaveBeenCalledTimes(2);
  });

  test('a failing function is a quiet "No suggestion": no alert, no dialog', async () => {
    const assist = client({ suggest: jest.fn(async () => Promise.reject(new Error('/flex/assist answered 503'))) });
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} />);
    expect(await screen.findByRole('status')).toHaveTextContent('No suggestion');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  test('nothing the contact asked yet is "No suggestion" too', async () => {
    const assist = client({ suggest: jest.fn(async () => ({ ...answer, question: null, suggestions: [] })) });
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} />);
    expect(await screen.findByRole('status')).toHaveTextContent('No suggestion');
  });

  test('speaks Spanish to a Spanish-speaking rep, and draws dark with Flex dark', async () => {
    render(<SuggestionPanel taskSid="WT1" client={client()} onInsert={jest.fn()} locale="es-MX" theme={DARK} />);
    const panel = screen.getByRole('region', { name: 'Respuestas sugeridas' });
    expect(panel).toHaveStyle({ background: DARK.colorBackgroundBody, color: DARK.colorText });
    expect(await screen.findAllByRole('button', { name: /Insertar/ })).toHaveLength(3);
  });
});

describe('teaching the AI', () => {
  test('is offered once the rep has replied: "this answered" the question, with a topic the rep picks', async () => {
    const assist = client();
    const { rerender } = render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} />);
    await screen.findByText('“how do I return an item”');
    expect(screen.queryByRole('form', { name: 'Teach the AI' })).not.toBeInTheDocument();
    rerender(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} repReply="Sure, returns are free." />);
    const form = screen.getByRole('form', { name: 'Teach the AI' });
    expect(within(form).getByText('“how do I return an item”')).toBeInTheDocument();
    fireEvent.change(within(form).getByRole('combobox'), { target: { value: 'Exchanges' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Suggest to the knowledge base' }));
    expect(await screen.findByText('Sent to the knowledge base author for review.')).toBeInTheDocument();
    expect(assist.teach).toHaveBeenCalledWith('WT1', { question: 'how do I return an item', topic: 'Exchanges' });
  });

  test("a new topic takes the rep's reply as its draft answer, which the rep may edit", async () => {
    const assist = client();
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} repReply="We ship to Mars too." />);
    const form = await screen.findByRole('form', { name: 'Teach the AI' });
    fireEvent.change(within(form).getByRole('combobox'), { target: { value: '' } });
    const draft = within(form).getByRole('textbox');
    expect(draft).toHaveValue('We ship to Mars too.');
    fireEvent.change(draft, { target: { value: 'We ship to Mars in 3 weeks.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Suggest to the knowledge base' }));
    await waitFor(() =>
      expect(assist.teach).toHaveBeenCalledWith('WT1', {
        question: 'how do I return an item',
        topic: null,
        draftAnswer: 'We ship to Mars in 3 weeks.',
      }),
    );
  });

  test('a failed lesson says so quietly and can be sent again', async () => {
    const assist = client({ teach: jest.fn().mockRejectedValueOnce(new Error('503')).mockResolvedValue(undefined) });
    render(<SuggestionPanel taskSid="WT1" client={assist} onInsert={jest.fn()} repReply="Yes." />);
    const form = await screen.findByRole('form', { name: 'Teach the AI' });
    fireEvent.click(within(form).getByRole('button', { name: 'Suggest to the knowledge base' }));
    expect(await within(form).findByText('Could not send it; try again.')).toBeInTheDocument();
    fireEvent.click(within(form).getByRole('button', { name: 'Suggest to the knowledge base' }));
    expect(await screen.findByText('Sent to the knowledge base author for review.')).toBeInTheDocument();
    expect(assist.teach).toHaveBeenCalledTimes(2);
  });
});

describe('the client of /flex/assist', () => {
  test("posts a form (a CORS simple request) with the rep's current token as Token, failing on anything but a 2xx", async () => {
    const fetchFn = jest.fn(async () => ({ ok: true, status: 200, json: async () => answer }) as unknown as Response);
    let token = 'first';
    const assist = createAssistClient({ url: 'https://x.twil.io/flex/assist', token: () => token, fetch: fetchFn });
    await expect(assist.suggest('WT1')).resolves.toEqual(answer);
    token = 'refreshed';
    await assist.teach('WT1', { question: 'q', topic: 'Returns' });
    await assist.teach('WT1', { question: 'q', topic: null, draftAnswer: 'a' });
    const requests = fetchFn.mock.calls.map((call) => (call as unknown as [string, RequestInit])[1]);
    expect(requests.every((init) => init.headers === undefined && init.body instanceof URLSearchParams)).toBe(true);
    expect(requests.map((init) => Object.fromEntries(init.body as URLSearchParams))).toEqual([
      { action: 'suggest', taskSid: 'WT1', Token: 'first' },
      { action: 'teach', taskSid: 'WT1', question: 'q', topic: 'Returns', Token: 'refreshed' },
      { action: 'teach', taskSid: 'WT1', question: 'q', topic: '', draftAnswer: 'a', Token: 'refreshed' },
    ]);
    fetchFn.mockResolvedValueOnce({ ok: false, status: 403, json: async () => ({}) } as unknown as Response);
    await expect(assist.suggest('WT1')).rejects.toThrow('403');
  });
});

describe('the panel in Flex', () => {
  type Flex = typeof FlexType;
  interface Fragment {
    props: { if?: (props: unknown) => boolean; sortOrder?: number; children: React.ReactElement };
  }
  const CONVERSATION = 'CH00000000000000000000000000000001';
  const TASK = 'WT00000000000000000000000000000001';
  let flex: Flex;
  let fetchMock: jest.Mock;
  let ASSIST_KEY: string;

  beforeAll(() => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    flex = require('@twilio/flex-ui') as Flex;
    // Flex runs the bundle as the deployment's public asset: its script element names the deployment.
    Object.defineProperty(document, 'currentScript', {
      configurable: true,
      value: { src: 'https://flex-sms-handoff-1234-dev.twil.io/plugins/flex-sms-handoff-plugin-0.1.0.js' },
    });
    ({ ASSIST_KEY } = require('../src/plugin/register') as { ASSIST_KEY: string });
    Object.defineProperty(document, 'currentScript', { configurable: true, value: null });
    const pluginInit = jest.fn();
    (window as unknown as { Twilio: unknown }).Twilio = { Flex: { Plugins: { init: pluginInit } } };
    require('../src/index');
    const manager = {
      localization: { localeTag: 'en-US' },
      configuration: { theme: { isLight: false } },
      store: { getState: () => ({ flex: { session: { ssoTokenPayload: { token: 'flex-token-of-alice' } } } }) },
      conversationsClient: { getConversationBySid: jest.fn() },
    } as unknown as FlexType.Manager;
    const Plugin = pluginInit.mock.calls[0][0] as new () => { init(f: Flex, m: FlexType.Manager): void };
    new Plugin().init(flex, manager);
    fetchMock = jest.fn(async () => ({ ok: true, status: 200, json: async () => answer }));
    (globalThis as { fetch?: unknown }).fetch = fetchMock;
    jest
      .spyOn(flex.TaskHelper, 'getTaskFromConversationSid')
      .mockImplementation((sid: string) =>
        sid === CONVERSATION
          ? ({ taskSid: TASK, attributes: { handedOff: true } } as unknown as FlexType.ITask)
          : ({ taskSid: 'WT2', attributes: { from: '+15550000000' } } as unknown as FlexType.ITask),
      );
  });

  function panelFragment(): Fragment {
    const found = (flex.MessagingCanvas.Content.fragments as unknown as Fragment[]).filter(
      (candidate) => candidate.props.children?.key === ASSIST_KEY,
    );
    expect(found).toHaveLength(1);
    return found[0];
  }

  test("sits in the messaging canvas of handed-off tasks' conversations only", () => {
    const fragment = panelFragment();
    expect(fragment.props.if?.({ sid: CONVERSATION })).toBe(true);
    expect(fragment.props.if?.({ sid: 'CH_other' })).toBe(false);
    expect(fragment.props.if?.({})).toBe(false);
  });

  test("asks the deployment's /flex/assist with the rep's Flex token, and Insert invokes Flex's SetInputText", async () => {
    // Flex's chat module registers SetInputText once it has a conversations client, which this Flex has not:
    // a stand-in registered through Flex's own Actions framework receives what the panel invokes.
    const invoked: unknown[] = [];
    flex.Actions.registerAction('SetInputText', async (payload: unknown) => {
      invoked.push(payload);
    });
    const conversation = { messages: [{ isFromMe: false, source: { sid: 'IM1', body: 'how do I return an item' } }] };
    render(React.cloneElement(panelFragment().props.children, { sid: CONVERSATION, conversation }));
    const cards = await screen.findAllByRole('article');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('https://flex-sms-handoff-1234-dev.twil.io/flex/assist');
    expect(Object.fromEntries(init.body as URLSearchParams)).toEqual({
      action: 'suggest',
      taskSid: TASK,
      Token: 'flex-token-of-alice',
    });
    expect(screen.getByRole('region', { name: 'Suggested answers' })).toHaveStyle({
      background: themeOf({ isLight: false }).colorBackgroundBody,
    });
    fireEvent.click(within(cards[0]).getByRole('button', { name: 'Insert: Returns' }));
    await waitFor(() =>
      expect(invoked).toEqual([expect.objectContaining({ conversationSid: CONVERSATION, body: RETURNS })]),
    );
  });
});
