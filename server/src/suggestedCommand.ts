// Commands we print for the user to copy and run (`age -r … -o file`). Their words can come
// from the repository (recipients in secrets.nix, a declared `.age` path), and a pasted line
// runs in whatever shell the user has: POSIX shells, fish (where `\'` ends a quote early),
// PowerShell (where U+2018/U+2019 are quotes). So a word is printed only if it is printable
// ASCII with no quote and no backslash, single-quoted unless plainly safe; a command with any
// other word is not printed at all.

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const QUOTABLE = /^[\x20-\x7e]+$/;

/** The command line, or undefined when some word cannot be shown safely. */
export function suggestedCommand(words: readonly string[]): string | undefined {
  const shown: string[] = [];
  for (const word of words) {
    if (/^-{1,2}[A-Za-z][A-Za-z-]*$/.test(word) || (PLAIN.test(word) && !/^[=-]/.test(word))) shown.push(word);
    else if (QUOTABLE.test(word) && !/['\\`]/.test(word)) shown.push(`'${word}'`);
    else return undefined;
  }
  return shown.join(' ');
}
