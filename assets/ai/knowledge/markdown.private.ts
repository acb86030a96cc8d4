/**
 * The knowledge base as its author writes it, Markdown, read into topics, and Markdown made plain SMS text.
 */

export interface KnowledgeTopic {
  id: number;
  /** The `## ` heading: a topic ("Opening hours") or a question ("Do you price match?"). */
  heading: string;
  /** The plain-text answer under the heading. */
  answer: string;
  /** How customers ask about it, in their words: the author's `? ` lines under the heading, if any. */
  askedAs?: string[];
}

/**
 * In a `? ` line, "..." stands for whatever the customer names ("? can I return my ..."): the line's other words
 * are what they ask to do, whatever it applies to.
 */
export const ANYTHING = /\.\.\.|…/;

/**
 * Every `## ` heading with the text under it; a `# ` title and headings without text are skipped. A line
 * starting with `? ` under a heading is a way customers ask about the topic ("? when do you open"): it teaches
 * the search and is no part of the answer; see ANYTHING.
 */
export function parseKnowledgeBase(markdown: string): KnowledgeTopic[] {
  const topics: KnowledgeTopic[] = [];
  let current: { heading: string; lines: string[]; askedAs: string[] } | undefined;
  const flush = () => {
    const answer = markdownToPlainText(current?.lines.join('\n') ?? '');
    if (!current || !answer) return;
    const { heading, askedAs } = current;
    topics.push({ id: topics.length, heading, answer, ...(askedAs.length > 0 && { askedAs }) });
  };
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    const askedAs = /^\?\s+(.+?)\s*$/.exec(line);
    if (heading) {
      flush();
      current = { heading: heading[1], lines: [], askedAs: [] };
    } else if (current && askedAs) {
      current.askedAs.push(askedAs[1]);
    } else if (current && !/^#\s/.test(line)) {
      current.lines.push(line);
    }
  }
  flush();
  return topics;
}

/**
 * SMS is plain text: Markdown emphasis, code, links, headings and list markers are unwrapped, blank lines
 * dropped, and the remaining lines joined with `separator`.
 */
export function markdownToPlainText(markdown: string, separator = ' '): string {
  return markdown
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*+]|\d+\.|#+)\s+/, '').trim())
    .filter(Boolean)
    .join(separator)
    .replace(/!?\[([^\]]*)\]\(([^)]+)\)/g, (_, label: string, url: string) => (label ? `${label} (${url})` : url))
    .replace(/(?<![\p{L}\p{N}])(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1(?![\p{L}\p{N}])/gu, '$2');
}
