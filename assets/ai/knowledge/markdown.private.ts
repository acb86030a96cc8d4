/**
 * The knowledge base as its author writes it, Markdown, read into topics, and Markdown made plain SMS text.
 */

export interface KnowledgeTopic {
  id: number;
  /** The `## ` heading: a topic ("Opening hours") or a question ("Do you price match?"). */
  heading: string;
  /** The plain-text answer under the heading. */
  answer: string;
}

/** Every `## ` heading with the text under it; a `# ` title and headings without text are skipped. */
export function parseKnowledgeBase(markdown: string): KnowledgeTopic[] {
  const topics: KnowledgeTopic[] = [];
  let current: { heading: string; lines: string[] } | undefined;
  const flush = () => {
    const answer = markdownToPlainText(current?.lines.join('\n') ?? '');
    if (current && answer) topics.push({ id: topics.length, heading: current.heading, answer });
  };
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      current = { heading: heading[1], lines: [] };
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
