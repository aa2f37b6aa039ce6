// Preloaded into the language server by the benchmark only (NODE_OPTIONS="--expose-gc
// --require bench/mem-probe.cjs"): on SIGUSR2 it runs full garbage collections and writes
// process.memoryUsage() to $HWC_BENCH_MEM_FILE, so memory is compared after GC and the
// tree-sitter leak check is not fooled by V8 heap slack. It changes nothing else.
//
// Two collections, then a wait: a full GC picks the old-space pages it compacts from the
// live bytes the previous GC counted, so one gc() after a burst of edits leaves pages that
// hold a few live objects each (old space measured 36–62 MB committed for 16 MB live, at
// random); the second compacts them (18 MB for 16). The pages a GC frees are unmapped by a
// V8 background thread, so RSS read right after gc() still counts them (20–60 MB here): the
// probe reads once RSS has stopped falling.
'use strict';
const fs = require('fs');
const file = process.env.HWC_BENCH_MEM_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    const gc = typeof global.gc === 'function' ? global.gc : undefined;
    gc?.();
    gc?.();
    const immediateRss = process.memoryUsage().rss;
    let last = immediateRss;
    let waited = 0;
    const settle = () => {
      const memory = process.memoryUsage();
      waited += 50;
      if (Math.abs(last - memory.rss) > 2 ** 19 && waited < 2000) {
        last = memory.rss;
        setTimeout(settle, 50);
        return;
      }
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...memory, immediateRss, gc: gc !== undefined }));
      fs.renameSync(`${file}.tmp`, file);
    };
    setTimeout(settle, 50);
  });
}
