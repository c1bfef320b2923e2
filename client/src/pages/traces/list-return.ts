/**
 * Where the reader was in the list when they opened a trace: its query (filters, order, range)
 * and how far down they had scrolled, so that Back (or "Back to traces") lands on the same rows.
 * Kept in sessionStorage: per tab, gone with it.
 */
export type ListSpot = { search: string; scrollTop: number; rows: number };

const KEY = "kalmia.list-spot";

function read(): ListSpot | null {
  try {
    const spot = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as ListSpot | null;
    return spot && typeof spot.search === "string" && typeof spot.scrollTop === "number" ? spot : null;
  } catch {
    return null;
  }
}

export function rememberListSpot(spot: ListSpot): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(spot));
  } catch {
    // Storage refused: Back still keeps the filters (they are in the URL), not the scroll.
  }
}

/** The spot saved for this exact query, once: a later visit to the list starts at the top. */
export function takeListSpot(search: string): ListSpot | null {
  const spot = read();
  if (!spot || spot.search !== search) return null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to undo.
  }
  return spot;
}

/** The list as the reader left it (filters included), for links back from a trace. */
export function backToListHref(): string {
  return `/traces${read()?.search ?? ""}`;
}
