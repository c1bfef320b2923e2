/**
 * Runs `fn` at most once per `ms`: at once when it has been quiet, otherwise
 * once at the end of the wait, however many calls came in meanwhile.
 */
export function throttle(fn: () => void, ms: number): { call(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastRun = Number.NEGATIVE_INFINITY;
  const run = () => {
    timer = null;
    lastRun = Date.now();
    fn();
  };
  return {
    call() {
      if (timer) return;
      const wait = lastRun + ms - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
