// `hwc explain` on a terminal: a rule page's Markdown rendered for reading there — headings
// set off (bold and underlined in colour, underlined with rules without), paragraphs and list
// items wrapped at the terminal width with hanging indents, code blocks indented and never
// wrapped (so Nix stays copyable), inline `code` without its backticks when colour shows it.
// Only our own docs pages are rendered; piped output stays the Markdown source.

export interface RenderOptions {
  width: number;
  color: boolean;
}

const BOLD = '\u001b[1m';
const UNDERLINE = '\u001b[4m';
const DIM = '\u001b[2m';
const CYAN = '\u001b[36m';
const RESET = '\u001b[0m';

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const width = Math.max(40, Math.min(options.width, 120));
  const out: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let listIndent = '';
  let listMarker = '';

  const inline = (text: string) =>
    options.color
      ? text.replace(/`([^`]+)`/g, `${CYAN}$1${RESET}`).replace(/\*\*([^*]+)\*\*/g, `${BOLD}$1${RESET}`)
      : text.replace(/\*\*([^*]+)\*\*/g, '$1');
  const flush = () => {
    if (paragraph.length === 0) return;
    const text = paragraph.join(' ').replace(/\s+/g, ' ').trim();
    out.push(...wrap(inline(text), width, listIndent + listMarker, listIndent + ' '.repeat(listMarker.length)));
    paragraph = [];
    listMarker = '';
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(\s*)```/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) body.push(lines[i]);
      for (const code of body) out.push(options.color ? `    ${DIM}${code}${RESET}` : `    ${code}`);
      out.push('');
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      listIndent = '';
      const title = heading[2].replace(/`/g, options.color ? '' : '`');
      if (options.color) out.push(`${BOLD}${heading[1].length <= 2 ? UNDERLINE : ''}${title}${RESET}`);
      else out.push(title, (heading[1].length === 1 ? '=' : '-').repeat(Math.min(title.length, width)));
      out.push('');
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      flush();
      listIndent = '  '.repeat(Math.floor(item[1].length / 2) + 1);
      listMarker = `${item[2] === '*' ? '-' : item[2]} `;
      paragraph.push(item[3]);
      continue;
    }
    if (line.trim() === '') {
      flush();
      if (listIndent === '' || !/^\s*([-*]|\d+\.)\s/.test(lines[i + 1] ?? '')) {
        if (out.length > 0 && out[out.length - 1] !== '') out.push('');
        if (!/^\s+\S/.test(lines[i + 1] ?? '')) listIndent = '';
      }
      continue;
    }
    if (/^\|/.test(line)) {
      flush();
      out.push(line);
      continue;
    }
    paragraph.push(line.trim());
  }
  flush();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** Greedy word wrap; a word longer than the line stays whole on its own line. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && visibleLength(current) + 1 + visibleLength(word) > width) {
      lines.push(current);
      current = rest + word;
    } else {
      current += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** Length as printed: escape sequences take no columns. */
function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
