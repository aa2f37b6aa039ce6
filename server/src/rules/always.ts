// Rules the engine itself reports (they are not about containers): listed here so the
// registry, `hwc rules`, the docs and severity overrides know them.
import type { Rule } from './types';

export const syntaxError: Rule = {
  id: 'syntax-error',
  severity: 'error',
  summary: 'The file does not parse: one finding per error region, the rest of the file is still checked.',
};
export const fileNotAnalysed: Rule = {
  id: 'file-not-analysed',
  severity: 'warning',
  summary: 'The file is over a limit on what one file may cost (size, nesting, parse time): it is not analysed.',
};
export const suppressionUnknownRule: Rule = {
  id: 'suppression-unknown-rule',
  severity: 'warning',
  summary: 'A `# hwc-lint:` suppression names a rule id that does not exist.',
};
export const suppressionUnused: Rule = {
  id: 'suppression-unused',
  severity: 'info',
  summary: 'A `# hwc-lint:` suppression suppresses nothing.',
};
export const configInvalid: Rule = {
  id: 'config-invalid',
  severity: 'error',
  summary: '`.hwc-lint.json` does not match its schema.',
};
