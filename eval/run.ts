/**
 * `npm run eval`: how well the embedded AI answers customers of businesses it has never seen (see README.md).
 * Each question is one fresh conversation's first message; the reply is read back to the topic it answers with.
 * `--tune-failures` lists the `tune` split's misses for debugging; the `heldout` split is only ever counted.
 */
import '../tests/support/runtime-assets';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedEngine } from '../assets/ai/embedded.private';
import { parseKnowledgeBase } from '../assets/ai/knowledge/markdown.private';

interface Question {
  text: string;
  expected: string | null;
  split: 'tune' | 'heldout';
  kind: 'paraphrase' | 'typo' | 'slang' | 'offtopic' | 'near-miss' | 'spanish';
}

interface Outcome {
  question: Question;
  /** The heading of the topic the reply answers with, or null when it answers with none. */
  answered: string | null;
  language: string;
  /** Whether the reply hands the contact to a person. */
  handedOff: boolean;
}

const SPLITS = ['tune', 'heldout'] as const;
const KNOWLEDGE_BASES = ['clinic', 'utility', 'isp'];

async function evaluate(name: string): Promise<Outcome[]> {
  const markdown = readFileSync(join(__dirname, 'knowledge-bases', `${name}.md`), 'utf8');
  const { questions } = JSON.parse(readFileSync(join(__dirname, 'questions', `${name}.json`), 'utf8')) as {
    questions: Question[];
  };
  const headingByAnswer = new Map(parseKnowledgeBase(markdown).map((topic) => [topic.answer, topic.heading]));
  const engine = createEmbeddedEngine({ knowledgeBase: markdown, forbiddenTopics: [], agentName: '', companyName: '' });
  const outcomes: Outcome[] = [];
  for (const question of questions) {
    const turn = await engine.respond({
      message: { body: question.text, media: [] },
      history: [],
      failedAnswers: 0,
      customData: {},
    });
    outcomes.push({
      question,
      answered: headingByAnswer.get(turn.reply) ?? null,
      language: turn.language,
      handedOff: turn.handoff !== undefined,
    });
  }
  return outcomes;
}

const percent = (count: number, total: number) =>
  total === 0 ? '   -' : `${String(Math.round((100 * count) / total)).padStart(3)}% (${count}/${total})`;

/** The figures: right topic for in-KB questions, wrong topics over all, abstention when none fits. */
function figures(outcomes: Outcome[]): Record<string, string> {
  const inKb = outcomes.filter(({ question }) => question.expected !== null);
  const outOfKb = outcomes.filter(({ question }) => question.expected === null);
  const spanish = outcomes.filter(({ question }) => question.kind === 'spanish');
  const right = inKb.filter(({ question, answered }) => answered === question.expected);
  const wrong = outcomes.filter(({ question, answered }) => answered !== null && answered !== question.expected);
  const abstained = outOfKb.filter(({ answered }) => answered === null);
  // To Spanish topics: the right one; to an English-only knowledge base: no topic, a person, said in Spanish.
  const spanishOk = spanish.filter(({ question, answered, language, handedOff }) =>
    question.expected === null ? answered === null && handedOff && language === 'es' : answered === question.expected,
  );
  return {
    'right topic (in-KB)': percent(right.length, inKb.length),
    'wrong topic (all)': percent(wrong.length, outcomes.length),
    'no topic (off-KB)': percent(abstained.length, outOfKb.length),
    'spanish as expected': percent(spanishOk.length, spanish.length),
  };
}

function byKind(outcomes: Outcome[]): string {
  const kinds = [...new Set(outcomes.map(({ question }) => question.kind))];
  return kinds
    .map((kind) => {
      const ofKind = outcomes.filter(({ question }) => question.kind === kind);
      const ok = ofKind.filter(({ question, answered }) => answered === question.expected);
      return `${kind} ${ok.length}/${ofKind.length}`;
    })
    .join(', ');
}

async function main(): Promise<void> {
  const showTuneFailures = process.argv.includes('--tune-failures');
  const rows: Array<Record<string, string>> = [];
  const all: Record<string, Outcome[]> = { tune: [], heldout: [] };
  for (const name of KNOWLEDGE_BASES) {
    const outcomes = await evaluate(name);
    for (const split of SPLITS) {
      const ofSplit = outcomes.filter(({ question }) => question.split === split);
      all[split].push(...ofSplit);
      rows.push({ 'knowledge base': name, split, ...figures(ofSplit), 'as expected, by kind': byKind(ofSplit) });
    }
    if (showTuneFailures) {
      for (const { question, answered } of outcomes) {
        if (question.split !== 'tune' || answered === question.expected) continue;
        console.log(`${name} [${question.kind}] ${JSON.stringify(question.text)}`);
        console.log(`    expected ${question.expected ?? '(none)'}; answered ${answered ?? '(none)'}`);
      }
    }
  }
  for (const split of SPLITS) rows.push({ 'knowledge base': 'all', split, ...figures(all[split]) });
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
