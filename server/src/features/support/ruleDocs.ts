// What a hover says about a finding: the finding's own message, one line of why (the first
// sentence of the rule page's "Why it matters"), the names of the fixes that answer the rule,
// and a link to the page. Short on purpose: two findings on one literal stay readable.
import * as fs from 'fs';
import * as path from 'path';
import { fixableRules } from '../../fixes/registry';
import { RULES_BY_ID, ruleDocsFolder, ruleDocsUrl } from '../../rules/registry';

/** Per rule: the why line and the fix names (the page and the registry do not change at run time). */
const ruleNotes = new Map<string, { why: string | null; fixes: string[] }>();

export function findingExplanation(finding: { rule: string; severity: string; message: string }): string {
  let notes = ruleNotes.get(finding.rule);
  if (notes === undefined) {
    notes = build(finding.rule);
    ruleNotes.set(finding.rule, notes);
  }
  const lines = [`**hwc: \`${finding.rule}\`** (${finding.severity}): ${finding.message}`];
  if (notes.why) lines.push(`*Why:* ${notes.why}`);
  if (notes.fixes.length > 0) lines.push(`*Fixes:* ${notes.fixes.join(' · ')}`);
  lines.push(`[Rule documentation](${ruleDocsUrl(finding.rule)})`);
  return lines.join('\n\n');
}

function build(id: string): { why: string | null; fixes: string[] } {
  const page = readPage(id);
  const paragraph = page ? sectionStart(page, 'Why it matters') : null;
  const why = paragraph ? firstSentence(paragraph) : (RULES_BY_ID.get(id)?.summary ?? null);
  const fixes = (fixableRules().get(id) ?? []).map((fix) => fixName(fix.id));
  return { why, fixes };
}

/** `pin-image-tag` → `Pin image tag`. */
function fixName(id: string): string {
  const words = id.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Up to the first full stop that ends a sentence (not one inside `code` or a version number). */
function firstSentence(paragraph: string): string {
  let inCode = false;
  for (let i = 0; i < paragraph.length; i++) {
    const c = paragraph[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && (c === '.' || c === '!' || c === '?') && (i + 1 === paragraph.length || paragraph[i + 1] === ' ')) return paragraph.slice(0, i + 1);
  }
  return paragraph;
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
