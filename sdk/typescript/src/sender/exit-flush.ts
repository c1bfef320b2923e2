import { endOpenStreams } from "../span/open-streams.ts";
import type { BackgroundSender } from "./background-sender.ts";

let installed = false;
const FAILING_EXIT_TIMEOUT_MS = 1_000;

/**
 * Flushes once more when the process has nothing left to do. `beforeExit` fires only when the event loop
 * is empty, so this never keeps a busy process alive; the sender's own timers are unref'd for the same
 * reason. It waits at most `timeoutMs`, and at most FAILING_EXIT_TIMEOUT_MS once the server is seen
 * failing (refused, an error answer, no answer within the request timeout), so a down server does not
 * hold the exit. After one attempt that could not deliver, it lets the process go unless new rows arrived.
 */
export function installExitFlush(
  currentSenders: () => { senders: BackgroundSender[]; timeoutMs: number } | undefined,
): void {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (installed || !proc || typeof proc.on !== "function") return;
  installed = true;
  const triedAt = new WeakMap<BackgroundSender, number>();
  proc.on("beforeExit", () => {
    const target = currentSenders();
    if (!target) return;
    const { senders, timeoutMs } = target;
    endOpenStreams("exit");
    for (const sender of senders) {
      if (sender.stats().pending === 0 || sender.enqueuedTotal === triedAt.get(sender)) continue;
      triedAt.set(sender, sender.enqueuedTotal);
      void sender.flush(timeoutMs, { failingTimeoutMs: Math.min(timeoutMs, FAILING_EXIT_TIMEOUT_MS) }).then((result) => {
        if (!result.flushed) sender.abortInFlight();
      });
    }
  });
}
