import { createEffect, createMemo, createSignal, For, onCleanup, onMount, type JSX } from "solid-js";

/**
 * Renders only the rows in view (plus a margin), so 100,000 traces or 2,000
 * spans cost what 40 do. Rows have one fixed height; `<For>` keeps the DOM of
 * rows that stay in view while scrolling.
 */
export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  class?: string;
  overscan?: number;
  /** Called when the last rows come into view (to fetch the next page). */
  onNearEnd?: () => void;
  /** The scrolling element, for callers that keep the view anchored. */
  onViewport?: (el: HTMLDivElement) => void;
  children: (item: T, index: () => number) => JSX.Element;
}) {
  let viewport!: HTMLDivElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [height, setHeight] = createSignal(800);

  onMount(() => {
    props.onViewport?.(viewport);
    const observer = new ResizeObserver(() => setHeight(viewport.clientHeight || 800));
    observer.observe(viewport);
    onCleanup(() => observer.disconnect());
  });

  const range = createMemo(() => {
    const overscan = props.overscan ?? 8;
    const first = Math.max(0, Math.floor(scrollTop() / props.rowHeight) - overscan);
    const last = Math.min(props.items.length, Math.ceil((scrollTop() + height()) / props.rowHeight) + overscan);
    return { first, last };
  });
  const visible = createMemo(() => props.items.slice(range().first, range().last));

  createEffect(() => {
    if (props.items.length && range().last >= props.items.length - 10) props.onNearEnd?.();
  });

  return (
    <div class={`virtual ${props.class ?? ""}`} ref={viewport} onScroll={() => setScrollTop(viewport.scrollTop)}>
      <div class="virtual-spacer" style={{ height: `${props.items.length * props.rowHeight}px` }}>
        <div class="virtual-window" style={{ transform: `translateY(${range().first * props.rowHeight}px)` }}>
          <For each={visible()}>{(item, i) => props.children(item, () => range().first + i())}</For>
        </div>
      </div>
    </div>
  );
}
