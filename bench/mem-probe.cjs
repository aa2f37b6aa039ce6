// Preloaded into the language server by the benchmark only (NODE_OPTIONS="--expose-gc
// --require bench/mem-probe.cjs"): on SIGUSR2 it runs a full garbage collection and writes
// process.memoryUsage() to $HWC_BENCH_MEM_FILE, so memory is compared after GC and the
// tree-sitter leak check is not fooled by V8 heap slack. It changes nothing else.
'use strict';
const fs = require('fs');
const file = process.env.HWC_BENCH_MEM_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    if (typeof global.gc === 'function') global.gc();
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...process.memoryUsage(), gc: typeof global.gc === 'function' }));
    fs.renameSync(`${file}.tmp`, file);
  });
}
