// The New Container generator (pure: spec in, edits out), shared by the language server's
// `hwc.server.generateContainer` command and `hwc new`.
export { generateContainer, applyTextEdits, type ScaffoldPlan, type PlannedFile, type GenerateOptions } from './generate';
export { ScaffoldError, type Problem } from './check';
export { collectFacts, type WorkspaceFacts, type WorkspaceView, type FileAccess } from './context';
export { newContainerSpecSchema, parseSpec, type NewContainerSpec, type NewContainerSpecInput } from './spec';
export { encryptArmored, envFileText, isArmoredAge, isRecipient } from './encrypt';
export { diskFileAccess } from './diskFiles';
