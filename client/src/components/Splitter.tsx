import { onCleanup } from "solid-js";

/**
 * A drag handle between two panes. It reports the pointer's distance from the start of `container`
 * (x for "vertical" bars, y for "horizontal"); the caller turns it into a size and remembers it.
 */
export function Splitter(props: { orientation: "vertical" | "horizontal"; container: () => HTMLElement | undefined; onMove: (offset: number, total: number) => void; label: string }) {
  let stop: (() => void) | null = null;
  const down = (event: PointerEvent) => {
    const container = props.container();
    if (!container) return;
    event.preventDefault();
    const move = (e: PointerEvent) => {
      const box = container.getBoundingClientRect();
      if (props.orientation === "vertical") props.onMove(e.clientX - box.left, box.width);
      else props.onMove(e.clientY - box.top, box.height);
    };
    const up = () => stop?.();
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    stop = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      stop = null;
    };
  };
  onCleanup(() => stop?.());
  return <div class={`splitter splitter-${props.orientation}`} role="separator" aria-orientation={props.orientation} aria-label={props.label} onPointerDown={down} />;
}

/** A remembered pane size (a fraction of its container), clamped to keep both panes usable. */
export function storedFraction(key: string, fallback: number): number {
  try {
    const value = Number(localStorage.getItem(key));
    return value > 0.15 && value < 0.85 ? value : fallback;
  } catch {
    return fallback;
  }
}

export function storeFraction(key: string, value: number): number {
  const clamped = Math.min(0.85, Math.max(0.15, value));
  try {
    localStorage.setItem(key, String(clamped));
  } catch {
    // Not remembered in private windows; still applied.
  }
  return clamped;
}
