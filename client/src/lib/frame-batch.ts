/**
 * Collects items and hands them over once per animation frame, so a burst of
 * live events costs one UI update, not hundreds.
 */
export function createFrameBatch<T>(flush: (items: T[]) => void) {
  let queue: T[] = [];
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const items = queue;
    queue = [];
    if (items.length) flush(items);
  };
  return {
    push(item: T) {
      queue.push(item);
      if (scheduled) return;
      scheduled = true;
      // Hidden tabs get no animation frames; a timer keeps their data current.
      if (document.visibilityState === "visible") requestAnimationFrame(run);
      else setTimeout(run, 250);
    },
    clear() {
      queue = [];
    },
  };
}
