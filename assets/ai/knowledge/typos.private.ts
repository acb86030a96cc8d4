/**
 * Typos as texted: a question word that neither the knowledge base nor English knows ("parkng", "reshcedule",
 * "instalation") is read as the knowledge base's word a keystroke or two away ("parking", "reschedule").
 */

/** Edits allowed by a word's length: none under 4 letters (too many neighbours), one up to 6, two from 7. */
function editsAllowed(length: number): number {
  if (length < 4) return 0;
  return length < 7 ? 1 : 2;
}

export interface SpellChecker {
  /**
   * What a misspelled word stands for: the value of the nearest known word within the edits its length allows,
   * undefined when none is that near, or when the nearest ones stand for different things.
   */
  correct(word: string): string | null | undefined;
}

/**
 * A spell checker over known words, each with what it stands for (a stem, or null for a word that says nothing,
 * like "really"). Candidates share the word's first letter: texted typos rarely hit it, and it keeps a large
 * knowledge base's check to a few hundred comparisons.
 */
export function spellChecker(known: Map<string, string | null>): SpellChecker {
  const byInitial = new Map<string, Array<[string, string | null]>>();
  for (const entry of known) {
    const list = byInitial.get(entry[0][0]) ?? [];
    list.push(entry);
    byInitial.set(entry[0][0], list);
  }
  return {
    correct(word) {
      const allowed = editsAllowed(word.length);
      if (allowed === 0) return undefined;
      let nearest = allowed + 1;
      let values = new Set<string | null>();
      for (const [candidate, value] of byInitial.get(word[0]) ?? []) {
        if (Math.abs(candidate.length - word.length) > Math.min(allowed, nearest)) continue;
        const distance = editDistance(word, candidate, Math.min(allowed, nearest));
        if (distance > allowed) continue;
        if (distance < nearest) {
          nearest = distance;
          values = new Set([value]);
        } else if (distance === nearest) values.add(value);
      }
      return values.size === 1 ? [...values][0] : undefined;
    },
  };
}

/**
 * The optimal string alignment distance (insertions, deletions, substitutions and swaps of two neighbours, as
 * thumbs make them), or `max + 1` as soon as it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, at) => at);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, previous2[j - 2] + 1);
      }
      current.push(distance);
      rowMin = Math.min(rowMin, distance);
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return Math.min(previous[b.length], max + 1);
}
