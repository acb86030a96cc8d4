import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownToPlainText, parseKnowledgeBase } from '../../../../assets/ai/knowledge/markdown.private';

const sample = readFileSync(join(__dirname, '..', '..', '..', '..', 'assets', 'knowledge.private.md'), 'utf8');

describe('parsing the knowledge base', () => {
  it('makes each ## heading a topic, ignoring the # title and headings without text', () => {
    const markdown = '# Help\n\n## Opening hours\nMon-Fri\n9am-5pm\n\n## Empty\n\n## Gift cards\nNever expire.';
    const topics = parseKnowledgeBase(markdown);
    expect(topics).toEqual([
      { id: 0, heading: 'Opening hours', answer: 'Mon-Fri 9am-5pm' },
      { id: 1, heading: 'Gift cards', answer: 'Never expire.' },
    ]);
  });

  it("reads the author's `? ` lines as how customers ask, apart from the answer", () => {
    const [topic] = parseKnowledgeBase(
      '## Opening hours\n? when r u open\nMon-Fri 9am-5pm.\n?   what time do you close  ',
    );
    expect(topic).toEqual({
      id: 0,
      heading: 'Opening hours',
      answer: 'Mon-Fri 9am-5pm.',
      askedAs: ['when r u open', 'what time do you close'],
    });
  });

  it('turns Markdown answers into plain SMS text', () => {
    const [topic] = parseKnowledgeBase(
      [
        '## Returns',
        '- **Free** returns within _30 days_.',
        '- Start at [our site](https://acme.example/returns).',
        '- Keep order_number_123.',
      ].join('\n'),
    );
    expect(topic.answer).toBe(
      'Free returns within 30 days. Start at our site (https://acme.example/returns). Keep order_number_123.',
    );
  });

  it('ships a sample of 20 to 30 SMS-sized topics', () => {
    const topics = parseKnowledgeBase(sample);
    expect(topics.length).toBeGreaterThanOrEqual(20);
    expect(topics.length).toBeLessThanOrEqual(30);
    for (const topic of topics) expect(topic.answer.length).toBeLessThan(300);
  });
});

describe('Markdown as SMS text', () => {
  it('joins the lines with the separator asked for, blank lines dropped', () => {
    expect(markdownToPlainText('# Hours\n\n- **Mon-Fri** 9-5\n- `Sat` closed', '\n')).toBe(
      'Hours\nMon-Fri 9-5\nSat closed',
    );
  });

  it('keeps a link without a label as its address, and leaves snake_case words alone', () => {
    expect(markdownToPlainText('See [](https://acme.example) for order_id_7')).toBe(
      'See https://acme.example for order_id_7',
    );
  });
});
