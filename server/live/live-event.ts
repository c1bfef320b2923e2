/** One event on the live feed, as a subscriber receives it. */
export type LiveEvent = {
  /** Monotonically increasing on this replica; the SSE `id:` used for resume. */
  id: number;
  kind: "trace" | "span";
  /** Project name the row belongs to, or null when the bus could not tell. */
  project: string | null;
  data: object;
};
