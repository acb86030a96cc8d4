import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { HandoffCard, SUMMARY_FOLD, humaniseKey, readHandoff } from '../src/handoff-card';
import { DARK, LIGHT } from '../src/theme';

const HANDED_OFF_AT = '2025-03-14T09:26:00.000Z';
const NOW = new Date('2025-03-14T09:41:00.000Z');

/** What the functions write on a handoff task (assets/task-attributes.private.ts), plus the coming reason code. */
const full = {
  from: '+15551234567',
  customerAddress: '+15551234567',
  conversationSid: 'CH00000000000000000000000000000000',
  handedOff: true,
  handoffReason: 'The contact asked for a person',
  handoffReasonCode: 'contact_requested',
  handoffSummary: 'Asked about a refund for order 1042; wants to talk to a person.',
  handoffSentiment: 'negative',
  handoffLanguage: 'es',
  handoffTimestamp: HANDED_OFF_AT,
  flex_order_id: '1042',
  flex_customer_tier: 'gold',
  flex_customer_name: 'Ana Pérez',
};

function renderCard(attributes: unknown, locale = 'en-US') {
  return render(<HandoffCard attributes={attributes} locale={locale} timeZone="UTC" />);
}

/** The value next to a label in the card's definition lists. */
function valueOf(label: string | RegExp): HTMLElement {
  const term = screen.getByText(label, { selector: 'dt' });
  return term.nextElementSibling as HTMLElement;
}

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(NOW);
});

afterEach(() => {
  jest.useRealTimers();
});

describe('a fully handed-off task', () => {
  test('shows the reason phrase and its code', () => {
    renderCard(full);
    expect(screen.getByRole('region', { name: 'Handoff from the AI' })).toBeInTheDocument();
    const reason = valueOf('Reason');
    expect(reason).toHaveTextContent('The contact asked for a person');
    expect(within(reason).getByText('contact_requested').tagName).toBe('CODE');
  });

  test('shows the sentiment as a coloured badge', () => {
    renderCard(full);
    const badge = within(valueOf('Sentiment')).getByText('Negative');
    expect(badge).toHaveAttribute('data-sentiment', 'negative');
    expect(badge).toHaveStyle({ color: LIGHT.colorTextError, background: LIGHT.colorBackgroundErrorWeakest });
  });

  test('gives each sentiment its own colour', () => {
    const colours = ['positive', 'neutral', 'negative'].map((sentiment) => {
      const { unmount } = renderCard({ ...full, handoffSentiment: sentiment });
      const colour = within(valueOf('Sentiment')).getByText(/./).style.color;
      unmount();
      return colour;
    });
    expect(new Set(colours).size).toBe(3);
  });

  test('names the language', () => {
    renderCard(full);
    expect(valueOf('Language')).toHaveTextContent('Spanish (es)');
  });

  test('shows the handoff time in local time and how long ago', () => {
    renderCard(full);
    const time = within(valueOf('Handed off')).getByText('Mar 14, 2025, 9:26 AM');
    expect(time).toHaveAttribute('dateTime', HANDED_OFF_AT);
    expect(valueOf('Handed off')).toHaveTextContent('15 minutes ago');
  });

  test('keeps "how long ago" current while the card stays open', () => {
    renderCard(full);
    act(() => {
      jest.advanceTimersByTime(60 * 60 * 1000);
    });
    expect(valueOf('Handed off')).toHaveTextContent('1 hour ago');
  });

  test('shows the summary', () => {
    renderCard(full);
    expect(valueOf('Summary')).toHaveTextContent(full.handoffSummary);
  });

  test('lists every flex_* entry under a readable label', () => {
    renderCard(full);
    const list = screen.getByRole('heading', { name: 'Customer data' }).nextElementSibling as HTMLElement;
    const labels = within(list)
      .getAllByRole('term')
      .map((term) => term.textContent);
    expect(labels).toEqual(['Customer name', 'Customer tier', 'Order id']);
    expect(valueOf('Order id')).toHaveTextContent('1042');
    expect(valueOf('Order id')).toHaveAttribute('title', 'flex_order_id');
    expect(valueOf('Customer name')).toHaveTextContent('Ana Pérez');
  });

  test('does not list the handoff or routing attributes as customer data', () => {
    renderCard(full);
    expect(screen.queryByText('+15551234567')).not.toBeInTheDocument();
    expect(screen.queryByText(full.conversationSid)).not.toBeInTheDocument();
  });
});

describe("in Flex's dark theme", () => {
  test('the card, its labels and its badge take the dark tokens', () => {
    render(<HandoffCard attributes={full} locale="en-US" timeZone="UTC" theme={DARK} />);
    expect(screen.getByRole('region', { name: 'Handoff from the AI' })).toHaveStyle({
      background: DARK.colorBackgroundBody,
      color: DARK.colorText,
    });
    expect(screen.getByText('Reason', { selector: 'dt' })).toHaveStyle({ color: DARK.colorTextWeak });
    expect(within(valueOf('Sentiment')).getByText('Negative')).toHaveStyle({
      color: DARK.colorTextError,
      background: DARK.colorBackgroundErrorWeakest,
    });
    expect(within(valueOf('Reason')).getByText('contact_requested')).toHaveStyle({
      background: DARK.colorBackgroundStrong,
      color: DARK.colorText,
    });
  });
});

describe('tasks the AI did not hand off', () => {
  test.each([
    ['no attributes', undefined],
    ['null', null],
    ['an ordinary task', { from: '+15551234567', flex_order_id: '1042' }],
    ['handedOff false', { ...full, handedOff: false }],
    ['handedOff as a number', { ...full, handedOff: 1 }],
    ['an array', [full]],
    ['invalid JSON text', '{"handedOff": tru'],
  ])('%s: renders nothing', (_name, attributes) => {
    const { container } = renderCard(attributes);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('partial and missing attributes', () => {
  test('a handoff with nothing but handedOff shows every field as not provided', () => {
    renderCard({ handedOff: true });
    for (const label of ['Reason', 'Sentiment', 'Language', 'Handed off']) {
      expect(valueOf(label)).toHaveTextContent('Not provided');
    }
    expect(valueOf('Summary')).toHaveTextContent('No summary.');
    expect(screen.queryByRole('heading', { name: 'Customer data' })).not.toBeInTheDocument();
  });

  test("today's attributes, where handoffReason holds the code, show the phrase for the code", () => {
    const { handoffReasonCode: _code, ...today } = { ...full, handoffReason: 'frustrated' };
    renderCard(today);
    const reason = valueOf('Reason');
    expect(reason).toHaveTextContent('The contact seems frustrated');
    expect(within(reason).getByText('frustrated').tagName).toBe('CODE');
  });

  test("an outside system's own reason is shown as written, without a code", () => {
    renderCard({ ...full, handoffReason: 'VIP callback requested in CRM', handoffReasonCode: undefined });
    expect(valueOf('Reason')).toHaveTextContent(/^VIP callback requested in CRM$/);
  });

  test('an unknown reason code is not shown as a code', () => {
    renderCard({ ...full, handoffReason: 'Escalated', handoffReasonCode: 'made_up' });
    expect(valueOf('Reason')).toHaveTextContent(/^Escalated$/);
  });

  test("attributes as JSON text (TaskRouter's raw form) are read too", () => {
    renderCard(JSON.stringify(full));
    expect(valueOf('Language')).toHaveTextContent('Spanish (es)');
  });

  test('handedOff written as the text "true" still counts', () => {
    renderCard({ ...full, handedOff: 'true' });
    expect(screen.getByRole('region', { name: 'Handoff from the AI' })).toBeInTheDocument();
  });

  test.each([['Mixed'], ['constructor'], ['toString']])(
    'an unknown sentiment (%p) is shown as written, on a neutral badge',
    (sentiment) => {
      renderCard({ ...full, handoffSentiment: sentiment });
      const badge = within(valueOf('Sentiment')).getByText(sentiment.toLowerCase());
      expect(badge).toHaveAttribute('data-sentiment', 'unknown');
      expect(badge).toHaveStyle({ color: LIGHT.colorTextWeak, background: LIGHT.colorBackgroundWeak });
    },
  );

  test('a language tag Intl does not know is shown as written', () => {
    renderCard({ ...full, handoffLanguage: 'not a language' });
    expect(valueOf('Language')).toHaveTextContent(/^not a language$/);
  });

  test.each([['yesterday-ish'], ['2025-13-45T99:99:00Z'], ['1710408360']])(
    'a timestamp that is not ISO 8601 (%p) is shown as written, without "ago"',
    (timestamp) => {
      renderCard({ ...full, handoffTimestamp: timestamp });
      expect(valueOf('Handed off')).toHaveTextContent(new RegExp(`^${timestamp}$`));
    },
  );

  test('a timestamp with an offset is shown in local time', () => {
    renderCard({ ...full, handoffTimestamp: '2025-03-14T10:26:00+01:00' });
    expect(valueOf('Handed off')).toHaveTextContent('Mar 14, 2025, 9:26 AM · 15 minutes ago');
  });

  test('a handoff "in the future" (a skewed clock) says so rather than "ago"', () => {
    renderCard({ ...full, handoffTimestamp: '2025-03-14T09:44:00.000Z' });
    expect(valueOf('Handed off')).toHaveTextContent('in 3 minutes');
  });

  test("an unknown time zone falls back to the browser's", () => {
    render(<HandoffCard attributes={full} locale="en-US" timeZone="Mars/Olympus_Mons" />);
    expect(valueOf('Handed off')).toHaveTextContent('Mar 14, 2025, 9:26 AM');
  });

  test('custom values of every JSON type are shown as text; empty ones are left out', () => {
    renderCard({
      ...full,
      flex_vip: true,
      flex_balance: 12.5,
      flex_address: { city: 'Madrid' },
      flex_tags: ['a', 'b'],
      flex_empty: '',
      flex_nothing: null,
    });
    expect(valueOf('Vip')).toHaveTextContent('true');
    expect(valueOf('Balance')).toHaveTextContent('12.5');
    expect(valueOf('Address')).toHaveTextContent('{"city":"Madrid"}');
    expect(valueOf('Tags')).toHaveTextContent('["a","b"]');
    expect(screen.queryByText('Empty')).not.toBeInTheDocument();
    expect(screen.queryByText('Nothing')).not.toBeInTheDocument();
  });
});

describe('hostile attributes', () => {
  const script = '<script>window.pwned = true</script><img src=x onerror="window.pwned = true">';

  test('markup in the summary, the reason and custom data is shown as typed, never run', () => {
    const { container } = renderCard({
      ...full,
      handoffSummary: script,
      handoffReason: '<b>bold</b>',
      handoffLanguage: '<i>es</i>',
      handoffSentiment: '<u>x</u>',
      flex_note: script,
      'flex_<img src=x onerror=alert(1)>': 'label',
    });
    expect(valueOf('Summary')).toHaveTextContent(script);
    expect(valueOf('Reason')).toHaveTextContent('<b>bold</b>');
    expect(valueOf('Note')).toHaveTextContent(script);
    expect(container.querySelector('script, img, b, i, u')).toBeNull();
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
  });

  test('prototype keys and odd values do not break the card', () => {
    const attributes = JSON.parse(
      '{"handedOff": true, "__proto__": {"handedOff": false}, "flex_constructor": "c", "handoffSummary": {"toString": "x"}, "handoffTimestamp": 12}',
    );
    renderCard(attributes);
    expect(valueOf('Constructor')).toHaveTextContent('c');
    expect(valueOf('Summary')).toHaveTextContent('{"toString":"x"}');
    expect(valueOf('Handed off')).toHaveTextContent(/^12$/);
  });

  test('a huge custom data set is listed in full, in a stable order', () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`flex_field_${String(i).padStart(2, '0')}`, i]),
    );
    renderCard({ ...full, ...many });
    expect(screen.getByText('Field 59')).toBeInTheDocument();
    expect(screen.getAllByRole('term').length).toBe(5 + 3 + 60);
  });
});

describe('long summaries', () => {
  const long = `${'The contact explained the problem at length. '.repeat(30)}THE END`;

  test('are folded, with a button to read the rest and to fold it again', () => {
    renderCard({ ...full, handoffSummary: long });
    const summary = valueOf('Summary');
    expect(summary).not.toHaveTextContent('THE END');
    expect(summary.textContent).toContain('…');
    const more = within(summary).getByRole('button', { name: 'Show more' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(more);
    expect(summary).toHaveTextContent('THE END');
    fireEvent.click(within(summary).getByRole('button', { name: 'Show less' }));
    expect(summary).not.toHaveTextContent('THE END');
  });

  test('fold between characters, never inside an emoji', () => {
    const emoji = '😀'.repeat(SUMMARY_FOLD + 10);
    renderCard({ ...full, handoffSummary: emoji });
    const text = valueOf('Summary').firstChild?.textContent ?? '';
    expect(text).toBe(`${'😀'.repeat(SUMMARY_FOLD)}…`);
  });

  test('a summary just at the limit is not folded', () => {
    renderCard({ ...full, handoffSummary: 'x'.repeat(SUMMARY_FOLD) });
    expect(within(valueOf('Summary')).queryByRole('button')).not.toBeInTheDocument();
  });

  test('keep the line breaks and wrap long words', () => {
    renderCard({ ...full, handoffSummary: `line one\nline two ${'a'.repeat(300)}` });
    expect(valueOf('Summary')).toHaveStyle({ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' });
  });
});

describe('in Spanish', () => {
  test('a Spanish-speaking rep reads the card in Spanish, names and times included', () => {
    renderCard({ ...full, handoffLanguage: 'en', handoffReason: 'ai_unable', handoffReasonCode: undefined }, 'es-MX');
    expect(screen.getByRole('region', { name: 'Traspaso desde la IA' })).toBeInTheDocument();
    expect(valueOf('Motivo')).toHaveTextContent('La IA no pudo ayudar');
    expect(within(valueOf('Sentimiento')).getByText('Negativo')).toBeInTheDocument();
    expect(valueOf('Idioma')).toHaveTextContent('inglés (en)');
    expect(valueOf('Traspasado')).toHaveTextContent('hace 15 minutos');
    expect(screen.getByRole('heading', { name: 'Datos del cliente' })).toBeInTheDocument();
  });

  test('missing fields and the fold button are in Spanish too', () => {
    renderCard({ handedOff: true, handoffSummary: 'x'.repeat(SUMMARY_FOLD + 1) }, 'es');
    expect(valueOf('Motivo')).toHaveTextContent('No indicado');
    expect(screen.getByRole('button', { name: 'Ver más' })).toBeInTheDocument();
  });

  test("the card follows the rep's locale, not the contact's language", () => {
    renderCard(full, 'en-GB');
    expect(screen.getByRole('region', { name: 'Handoff from the AI' })).toBeInTheDocument();
    expect(valueOf('Language')).toHaveTextContent('Spanish (es)');
  });

  test.each([['fr-FR'], ['not a locale!'], [''], ['toString']])(
    'a locale without a translation (%p) falls back to English',
    (locale) => {
      renderCard(full, locale);
      expect(screen.getByRole('region', { name: 'Handoff from the AI' })).toBeInTheDocument();
    },
  );
});

describe('readHandoff and humaniseKey', () => {
  test.each([
    ['flex_order_id', 'Order id'],
    ['flex_customerTier', 'Customer tier'],
    ['flex_customer.tier', 'Customer tier'],
    ['flex___', ''],
    ['flex_URL', 'Url'],
  ])('%s -> %p', (key, label) => {
    expect(humaniseKey(key)).toBe(label);
  });

  test('an unlabelled key keeps its own name as label', () => {
    expect(readHandoff({ handedOff: true, flex___: 'x' })?.custom).toEqual([
      { key: 'flex___', label: 'flex___', value: 'x' },
    ]);
  });
});
