// Entry point VS Code calls in the extension host (`--extensionTestsPath`): runs the API
// scenarios in order and resolves, or rejects when one that is not todo failed.
// Runs under @vscode/test-electron (desktop VS Code, test/electron/run.mjs) and under
// code-server (test/e2e/apiSuite.test.mjs). No mocha: a list of async functions is enough.
//
// Environment (set by both runners):
//   HWC_API_TODO     JSON { <scenario id>: { reason, run } } — todo scenarios (test/e2e/pending.mjs):
//                    a reported bug (run: true; failing does not fail the suite, passing
//                    shows "todo-passed"), or run: false to skip one
//   HWC_API_RESULTS  optional: where to write the results as JSON
'use strict';
const fs = require('fs');
const { scenarios } = require('./scenarios');

exports.run = async function run() {
  const todo = JSON.parse(process.env.HWC_API_TODO || '{}');
  const results = [];
  for (const scenario of scenarios) {
    const started = Date.now();
    const { reason, run: runTodo } = todo[scenario.id] ?? {};
    if (reason && !runTodo) {
      results.push({ id: scenario.id, title: scenario.title, status: 'todo', reason, ms: 0 });
      console.log(`[hwc api] TODO ${scenario.title}: ${reason}`);
      continue;
    }
    try {
      const note = await scenario.run();
      results.push({ id: scenario.id, title: scenario.title, status: reason ? 'todo-passed' : 'pass', reason: reason ?? null, note: note ?? null, ms: Date.now() - started });
      console.log(`[hwc api] ${reason ? 'todo-passed' : 'ok'} ${scenario.title} (${Date.now() - started} ms)`);
    } catch (error) {
      results.push({
        id: scenario.id, title: scenario.title, status: reason ? 'todo-failed' : 'fail', reason: reason ?? null,
        error: error && error.stack ? error.stack : String(error), ms: Date.now() - started,
      });
      console.log(`[hwc api] FAIL ${scenario.title}: ${error && error.stack ? error.stack : error}`);
    }
  }
  if (process.env.HWC_API_RESULTS) fs.writeFileSync(process.env.HWC_API_RESULTS, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) throw new Error(`${failed.length} API scenario(s) failed: ${failed.map((r) => r.id).join(', ')}`);
};
