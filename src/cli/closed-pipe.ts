/**
 * `eventsub-relay types | head`: once the reader has what it wants it closes the pipe, and the
 * next write fails with EPIPE. Like other command-line tools, stop quietly then (exit 0) instead
 * of crashing with an unhandled 'error' event. Any other stream error is still thrown.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
