// `hwc lint | head` closes stdout early. Its own file so that the fast replay of `hwc lint`
// (cache/replayEntry.ts) ends the same way without loading the linter.

/**
 * `hwc lint | head` closes stdout early: end quietly (with the lint's exit code) instead of
 * dying on an unhandled EPIPE with a stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 1);
  });
}
