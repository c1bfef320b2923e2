/**
 * Stream spans not yet ended. A stream its reader abandoned ends when it is garbage-collected; the ones
 * still open when the process is about to exit are ended there, with what was read, as cancelled.
 */
const open = new Set<(reason: string) => void>();

export function trackOpenStream(end: (reason: string) => void): () => void {
  open.add(end);
  return () => open.delete(end);
}

export function endOpenStreams(reason: string): void {
  for (const end of [...open]) end(reason);
}
