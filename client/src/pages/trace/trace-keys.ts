import { onCleanup, onMount } from "solid-js";

export type TraceKeyActions = {
  step: (by: 1 | -1) => void;
  fold: () => void;
  unfold: () => void;
  back: () => void;
  nextError: () => void;
};

/**
 * The trace page's keys: j/k and ↑/↓ move between spans, ←/→ fold and unfold, Esc goes back to
 * the list, e jumps to the next failing span. Keys typed into a field, or with a modifier, are left alone.
 */
export function useTraceKeys(actions: TraceKeyActions): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (document.querySelector(".image-full") && event.key === "Escape") return;
    const action = keyAction(event.key, actions);
    if (!action) return;
    event.preventDefault();
    action();
  };
  onMount(() => document.addEventListener("keydown", onKey));
  onCleanup(() => document.removeEventListener("keydown", onKey));
}

function keyAction(key: string, a: TraceKeyActions): (() => void) | null {
  switch (key) {
    case "j":
    case "ArrowDown":
      return () => a.step(1);
    case "k":
    case "ArrowUp":
      return () => a.step(-1);
    case "ArrowLeft":
    case "h":
      return a.fold;
    case "ArrowRight":
    case "l":
      return a.unfold;
    case "Escape":
      return a.back;
    case "e":
      return a.nextError;
  }
  return null;
}
