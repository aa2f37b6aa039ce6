// Entry point of the language server bundle: `node out/server.js --stdio` or `--node-ipc`.
import { keepYoungGenerationSmall } from './lsp/youngGeneration';
import { startServer } from './server';

keepYoungGenerationSmall();

startServer();
