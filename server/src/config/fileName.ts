// The config file's name, apart from its reader (load.ts pulls in the zod schema), so that code
// which only looks for the file (cli/root.ts, the fast replay of `hwc lint`) stays small.
export const CONFIG_FILE = '.hwc-lint.json';
