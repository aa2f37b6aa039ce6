// Seeded edits of the kind someone typing in a container module makes: digits typed into a
// port, quotes, braces and semicolons that break the syntax, undoing earlier edits (which
// repairs it), lines cut or pasted, words replaced. Used to check that what is kept between
// edits (parse/flatSplice.ts) always equals what a fresh start makes.

export function positionAt(text, offset) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetOf(text, { line, character }) {
  let offset = 0;
  for (let l = 0; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + character;
}

/** Edits someone typing in a container module makes, some breaking the syntax, some repairing it. */
function randomEdit(text, random, undo) {
  const at = (offset) => positionAt(text, offset);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const roll = random();
  if (roll < 0.2 && undo.length > 0) return undo.pop();
  let start = Math.floor(random() * text.length);
  let end = start;
  let insert = '';
  if (roll < 0.45) insert = pick(['0', '7', 'a', 'x', ' ', '"', ';', '{', '}', '[', ']', '=', '.', ':', '\n', '#', "''", '${', 'cfg.', '/opt/']);
  else if (roll < 0.6) end = Math.min(text.length, start + 1 + Math.floor(random() * 4));
  else if (roll < 0.75) {
    // A digit in one of the host ports.
    const ports = [...text.matchAll(/"127\.0\.0\.1:(\d+):/g)];
    if (ports.length > 0) {
      const m = pick(ports);
      start = end = m.index + m[0].length - 1;
      insert = String(Math.floor(random() * 10));
    }
  } else if (roll < 0.85) {
    // A whole line cut or duplicated.
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', start) + 1 || text.length;
    if (random() < 0.5) end = lineEnd;
    else insert = text.slice(lineStart, lineEnd);
    start = lineStart;
    if (insert) end = start;
  } else {
    // A word replaced by another of the file's words.
    const word = /[A-Za-z_][\w-]*/g;
    word.lastIndex = start;
    const m = word.exec(text);
    if (m) {
      start = m.index;
      end = m.index + m[0].length;
      insert = pick(['image', 'ports', 'enable', 'cfg', 'mkIf', 'lib', 'config', 'volumes', 'let', 'in', 'inherit', 'rec']);
    }
  }
  const change = { range: { start: at(start), end: at(end) }, text: insert };
  const inverse = { removed: text.slice(start, end), start, insertedLength: insert.length };
  return { change, inverse };
}

/**
 * The next edit of a seeded series: an LSP content change and the text after it. `undo`
 * (an array kept by the caller) holds how to revert earlier edits; some steps revert one.
 */
export function nextEdit(text, random, undo) {
  const edit = randomEdit(text, random, undo);
  let change;
  if (edit.change) {
    change = edit.change;
    undo.push(edit.inverse);
  } else {
    const { start, insertedLength, removed } = edit;
    // The text may have shrunk since: revert nothing this time.
    if (start + insertedLength > text.length) return nextEdit(text, random, undo);
    change = { range: { start: positionAt(text, start), end: positionAt(text, start + insertedLength) }, text: removed };
  }
  const from = offsetOf(text, change.range.start);
  const to = offsetOf(text, change.range.end);
  return { change, text: text.slice(0, from) + change.text + text.slice(to) };
}
