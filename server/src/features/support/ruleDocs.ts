// A rule's explanation for hovers: its one-line summary, the opening paragraphs of its
// docs page (docs/rules/<id>.md) and the first paragraphs of "What fires it" and "Why it matters".
import * as fs from 'fs';
import * as path from 'path';
import { RULES_BY_ID, ruleDocsFolder, ruleDocsUrl } from '../../rules/registry';

const explanations = new Map<string, string>();

export function ruleExplanation(id: string, severity?: string): string {
  let text = explanations.get(id);
  if (text === undefined) {
    text = build(id);
    explanations.set(id, text);
  }
  return severity ? text.replace('\u0000', ` (${severity})`) : text.replace('\u0000', '');
}

function build(id: string): string {
  const rule = RULES_BY_ID.get(id);
  const lines = [`**hwc: \`${id}\`**\u0000${rule ? ` — ${rule.summary}` : ''}`];
  const page = readPage(id);
  if (page) {
    // The page opens with the summary in other words: shown only when the registry has none.
    if (!rule) lines.push(...paragraphsBefore(page, 0).filter((p) => !p.startsWith('**Severity:**')).slice(0, 1));
    for (const heading of ['What fires it', 'Why it matters']) {
      const first = sectionStart(page, heading);
      if (first) lines.push(`*${heading}:* ${first}`);
    }
  }
  lines.push(`[Rule documentation](${ruleDocsUrl(id)})`);
  return lines.join('\n\n');
}

function readPage(id: string): string[] | null {
  try {
    return fs.readFileSync(path.join(ruleDocsFolder(), `${id}.md`), 'utf8').split(/\r?\n/);
  } catch {
    return null;
  }
}

/** Paragraphs from line `from` up to the next heading (skipping a leading title). */
function paragraphsBefore(lines: string[], from: number): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(current.join(' '));
    current = [];
  };
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    if (/^#\s/.test(line) && i === from) continue;
    if (/^#{1,6}\s/.test(line) || line.startsWith('```')) break;
    if (line.trim() === '') flush();
    else current.push(line.trim());
  }
  flush();
  return paragraphs;
}

function sectionStart(lines: string[], heading: string): string | null {
  const at = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (at < 0) return null;
  return paragraphsBefore(lines, at + 1)[0] ?? null;
}
