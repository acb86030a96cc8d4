import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKnowledgeBase } from '../../../assets/ai/knowledge/markdown.private';
import {
  applyKbSuggestions,
  formatKbSuggestions,
  groupUnanswered,
  type TaughtSuggestion,
} from '../../../assets/insights/kb-suggestions.private';

const knowledgeBase = readFileSync(join(__dirname, '..', '..', '..', 'assets', 'knowledge.private.md'), 'utf8');

describe('groupUnanswered', () => {
  it('counts near-identical wordings as one group, the most frequent wording first', () => {
    const groups = groupUnanswered([
      { question: 'do u offer gift-wrapping??', nearestTopic: 'Gift cards', score: 0.2 },
      { question: 'Do you sell gift wrapping?', nearestTopic: 'Gift cards', score: 0.3 },
      { question: 'Can I bring my dog into the store?', nearestTopic: 'Store locations', score: 0.1 },
      { question: 'Do you sell gift wrapping?', nearestTopic: null },
      { question: 'Is gift wrapping available', nearestTopic: 'Gift cards', score: 0.25 },
    ]);
    expect(groups).toEqual([
      {
        question: 'Do you sell gift wrapping?',
        count: 4,
        nearestTopic: 'Gift cards',
        wordings: ['Do you sell gift wrapping?', 'do u offer gift-wrapping??', 'Is gift wrapping available'],
      },
      {
        question: 'Can I bring my dog into the store?',
        count: 1,
        nearestTopic: 'Store locations',
        wordings: ['Can I bring my dog into the store?'],
      },
    ]);
  });

  it('keeps different questions on the same subject apart', () => {
    const groups = groupUnanswered([
      { question: 'Can I bring my dog into the store?', nearestTopic: 'Store locations' },
      { question: 'Do you sell dog food?', nearestTopic: null },
      { question: 'Is the store in Boston open on Sunday', nearestTopic: 'Store locations' },
    ]);
    expect(groups.map((group) => group.count)).toEqual([1, 1, 1]);
  });

  it('takes the topic most of the group was nearest to, the best-scored among equally frequent ones', () => {
    const [group] = groupUnanswered([
      { question: 'where can I recycle old boots', nearestTopic: 'Returns', score: 0.2 },
      { question: 'Where can I recycle old boots?', nearestTopic: 'Repairs', score: 0.4 },
      { question: 'where can i recycle my old boots', nearestTopic: null },
    ]);
    expect(group).toMatchObject({ count: 3, nearestTopic: 'Repairs' });
  });

  it('groups questions without a topic-carrying word by their exact words only', () => {
    const groups = groupUnanswered([
      { question: 'what?', nearestTopic: null },
      { question: 'What', nearestTopic: null },
      { question: 'why', nearestTopic: null },
      { question: '  ', nearestTopic: null },
    ]);
    expect(groups.map(({ question, count }) => [question, count])).toEqual([
      ['what?', 2],
      ['why', 1],
    ]);
  });

  it('reads past what masking put for numbers, e-mail addresses and cards', () => {
    const groups = groupUnanswered([
      { question: 'is order [number] shipped with gift wrapping', nearestTopic: null },
      { question: 'is order [number] shipped with gift wrapping? mail me at [email]', nearestTopic: null },
    ]);
    expect(groups.map((group) => group.count)).toEqual([2]);
  });

  it('makes each wording one line', () => {
    const [group] = groupUnanswered([{ question: 'do you\nsell   kayaks', nearestTopic: null }]);
    expect(group.question).toBe('do you sell kayaks');
  });
});

const taught: TaughtSuggestion[] = [
  {
    kind: 'taught',
    question: 'can I return a gift without the receipt',
    topic: 'Returns',
    taskSid: 'WT00000000000000000000000000000001',
    workerSid: 'WK00000000000000000000000000000001',
    at: '2026-12-01T10:00:00.000Z',
  },
  {
    kind: 'taught',
    question: 'Do you rent kayaks?',
    topic: null,
    draftAnswer: 'Not yet: we sell kayaks\nin our larger stores.',
    taskSid: 'WT00000000000000000000000000000002',
    workerSid: 'WK00000000000000000000000000000001',
    at: '2026-12-01T11:00:00.000Z',
  },
];

describe('formatKbSuggestions', () => {
  it('writes `? ` lines under the nearest heading, the ones near nothing under "New topics", then the taught ones', () => {
    const groups = groupUnanswered([
      { question: 'Do you sell gift wrapping?', nearestTopic: 'Gift cards' },
      { question: 'do you sell gift wrapping', nearestTopic: 'Gift cards' },
      { question: 'Can I bring my dog?', nearestTopic: null },
      { question: 'Can I return worn shoes?', nearestTopic: 'Returns' },
      { question: 'Is there a student discount', nearestTopic: null },
    ]);
    expect(formatKbSuggestions(groups, taught)).toBe(
      [
        '# Questions the AI could not answer',
        '',
        '## Gift cards',
        '? Do you sell gift wrapping?',
        '',
        '## Returns',
        '? Can I return worn shoes?',
        '',
        '## New topics',
        '? Can I bring my dog?',
        '? Is there a student discount',
        '',
        '# Taught by reps',
        '',
        '## Returns',
        '? can I return a gift without the receipt',
        '',
        '## Do you rent kayaks?',
        '? Do you rent kayaks?',
        'Not yet: we sell kayaks in our larger stores.',
        '',
      ].join('\n'),
    );
  });

  it('is empty when there is nothing to suggest', () => {
    expect(formatKbSuggestions([])).toBe('');
  });

  it('pastes whole at the end of the knowledge base without changing its topics', () => {
    const text = formatKbSuggestions(
      groupUnanswered([{ question: 'Can I return worn shoes?', nearestTopic: 'Returns' }]),
      taught,
    );
    const before = parseKnowledgeBase(knowledgeBase);
    expect(parseKnowledgeBase(`${knowledgeBase}\n${text}`)).toEqual([
      ...before,
      {
        id: before.length,
        heading: 'Do you rent kayaks?',
        answer: 'Not yet: we sell kayaks in our larger stores.',
        askedAs: ['Do you rent kayaks?'],
      },
    ]);
  });
});

describe('applyKbSuggestions', () => {
  it('adds each question under its topic, after the questions already there, once', () => {
    const updated = applyKbSuggestions(knowledgeBase, [
      { topic: 'Returns', question: 'can I return worn shoes' },
      { topic: 'returns', question: 'Can I return worn shoes?' },
      { topic: 'Opening hours', question: 'are you open on\nboxing day' },
      { topic: 'Returns', question: 'can I send back the ... I bought' },
    ]);
    const topics = parseKnowledgeBase(updated);
    expect(topics.find((topic) => topic.heading === 'Returns')?.askedAs).toEqual([
      'can I return my ...',
      'can I send back the ... I bought',
      'can I return worn shoes',
    ]);
    expect(topics.find((topic) => topic.heading === 'Opening hours')?.askedAs).toEqual(['are you open on boxing day']);
    expect(topics).toHaveLength(parseKnowledgeBase(knowledgeBase).length);
    expect(updated.split('\n')).toHaveLength(knowledgeBase.split('\n').length + 2);
  });

  it('adds a new topic at the end for a null or unknown topic, with the draft answer as its text', () => {
    const updated = applyKbSuggestions('# Help\n\n## Returns\nWithin 30 days.\n', [
      { topic: null, question: 'Do you rent kayaks?', draftAnswer: 'No, we only sell them.' },
      { topic: 'Kayak rental', question: 'can I hire a kayak' },
      { topic: 'Kayak rental', question: 'kayak rental price', draftAnswer: 'We do not rent kayaks.' },
      { topic: null, question: 'Do you rent kayaks' },
    ]);
    expect(updated).toBe(
      [
        '# Help',
        '',
        '## Returns',
        'Within 30 days.',
        '',
        '## Do you rent kayaks?',
        '? Do you rent kayaks?',
        'No, we only sell them.',
        '',
        '## Kayak rental',
        '? can I hire a kayak',
        '? kayak rental price',
        'We do not rent kayaks.',
        '',
      ].join('\n'),
    );
    expect(parseKnowledgeBase(updated).map((topic) => topic.heading)).toEqual([
      'Returns',
      'Do you rent kayaks?',
      'Kayak rental',
    ]);
  });

  it('keeps Windows line ends and a knowledge base it has nothing to add to', () => {
    const markdown = '## Returns\r\n? can I return it\r\nWithin 30 days.\r\n';
    expect(applyKbSuggestions(markdown, [{ topic: 'Returns', question: 'can I return it' }])).toBe(markdown);
    expect(applyKbSuggestions(markdown, [{ topic: 'Returns', question: 'return worn shoes' }])).toBe(
      '## Returns\r\n? can I return it\r\n? return worn shoes\r\nWithin 30 days.\r\n',
    );
  });
});
