// The engine's public surface for tests and tools (no VS Code, no LSP transport).
export { initParser, parseNix, withTree } from './parse/parser';
export { DocumentStore } from './parse/documentStore';
export { collectSyntaxProblems } from './parse/syntaxErrors';
export { extractSummary } from './model/extract';
export { parseLintConfig } from './config/load';
export { lintConfigSchema, editorSettingsSchema, lintConfigJsonSchema, defaultLintConfig } from './config/schema';
export { Workspace } from './workspace/workspace';
export { workspaceDiagnostics } from './workspace/diagnostics';
export { lint } from './rules/engine';
export { RULES, RULES_BY_ID } from './rules/registry';
export { parseImage, parsePortMapping, parseVolume } from './rules/docker';
export { main as cliMain } from './cli';
export { generateContainer, applyTextEdits, ScaffoldError, collectFacts, diskFileAccess, encryptArmored, isArmoredAge, newContainerSpecSchema } from './scaffold';
export { planProfileEdit, planSecretDeclaration, readAgenixRules } from './scaffold/edits';
export { writePlan, parseSecretLines } from './cli/new';
