// Entry point of the language server bundle: `node out/server.js --stdio` or `--node-ipc`.
import { startServer } from './server';

startServer();
