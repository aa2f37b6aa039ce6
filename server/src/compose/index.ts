// Docker Compose import (pure engine: compose text and a workspace in, a plan out).
export { importCompose, moduleNameOf, type ComposeImportInput, type ComposeImportResult, type ImportedService } from './importCompose';
export { ComposeError, interpolate, parseEnvFile } from './interpolate';
export { parseComposeYaml } from './load';
export { readProject, splitWords } from './services';
