// Entry of the parse worker bundle (out/parseWorker.js): only what a worker of parallel.ts
// runs (reading, the parser, the flat copy), so it starts in a fraction of the time the CLI
// bundle takes to load. parallel.ts starts serving when loaded in a worker it marked.
import './parallel';
