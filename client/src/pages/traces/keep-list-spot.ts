import { onCleanup, untrack } from "solid-js";
import { rememberListSpot, takeListSpot, type ListSpot } from "./list-return.ts";
import type { TraceList } from "./trace-list.ts";

/**
 * Back from a trace lands where the reader left the list: the spot (query and scroll) is saved
 * as the table goes away, and on the table's return with the same query the rows down to it are
 * paged in again and the view scrolled back to it. Returns what to call with the scroller.
 */
export function keepListSpot(list: TraceList, rowHeight: number): (viewport: HTMLDivElement) => void {
  const search = location.search;
  const spot = takeListSpot(search);
  let scrollTop = 0;
  let height = 0;
  let gone = false;

  const remember = () => rememberListSpot({ search, scrollTop, rows: Math.min(list.ids().length, Math.ceil((scrollTop + height) / rowHeight)) });
  // Left for a trace inside the app, or for another page typed in the address bar.
  onCleanup(() => {
    gone = true;
    remember();
  });
  addEventListener("pagehide", remember);
  onCleanup(() => removeEventListener("pagehide", remember));

  return (el) => {
    height = el.clientHeight;
    // Kept as it changes: when the table is cleaned up its element may already be detached.
    el.addEventListener("scroll", () => ((scrollTop = el.scrollTop), (height = el.clientHeight)), { passive: true });
    if (spot) void untrack(() => scrollBack(list, el, spot, () => gone));
  };
}

/** Pages in the rows down to the spot (a page at a time, as scrolling would), then scrolls there. */
async function scrollBack(list: TraceList, el: HTMLDivElement, spot: ListSpot, gone: () => boolean): Promise<void> {
  // Bounded: a list that stops growing (an error, rows deleted meanwhile) ends the walk.
  for (let tries = 0; tries < 200 && !gone() && list.ids().length < spot.rows && list.hasMore(); tries++) {
    // undefined: a page is already on its way (the list asked for it as it filled the view).
    await (list.loadMore() ?? nextFrame());
  }
  await nextFrame();
  if (!gone()) el.scrollTop = spot.scrollTop;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
