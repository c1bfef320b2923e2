const warned = new Set<string>();

/** Writes one console warning per key for the life of the process; tracing problems must never be noisy. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  try {
    console.warn(`[kalmia] ${message}`);
  } catch {
    // A broken console is not ours to fix.
  }
}
