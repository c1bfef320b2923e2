import { batch, createSignal, type Accessor, type Signal } from "solid-js";
import { listTraces } from "../../api/traces.ts";
import type { TraceFilters, TraceSummary } from "../../api/types.ts";
import { traceMatches } from "./trace-matches.ts";

export type ListState = "loading" | "ready" | "error";

/**
 * The traces page's data: keyset pages from the API plus live changes. Each
 * trace has its own signal, so a running trace that updates redraws one row.
 */
export function createTraceList(filters: Accessor<TraceFilters>) {
  const rows = new Map<string, Signal<TraceSummary>>();
  const [ids, setIds] = createSignal<string[]>([]);
  const [state, setState] = createSignal<ListState>("loading");
  const [error, setError] = createSignal("");
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [fresh, setFresh] = createSignal<ReadonlySet<string>>(new Set());
  const [total, setTotal] = createSignal<number | null>(null);
  const [totalIsEstimate, setTotalIsEstimate] = createSignal(false);
  let onPrepend: ((count: number) => void) | null = null;
  let generation = 0;
  // Live changes that arrive while the first page loads wait for it, then apply.
  let waiting: TraceSummary[] = [];
  let controller: AbortController | null = null;

  const store = (trace: TraceSummary): boolean => {
    const existing = rows.get(trace.id);
    if (existing) {
      existing[1](trace);
      return false;
    }
    rows.set(trace.id, createSignal(trace));
    return true;
  };

  async function fetchPage(from: string | null): Promise<void> {
    const mine = generation;
    controller?.abort();
    controller = new AbortController();
    try {
      const page = await listTraces(filters(), from, controller.signal);
      if (mine !== generation) return;
      batch(() => {
        const added = page.traces.filter(store).map((t) => t.id);
        setIds(from === null ? page.traces.map((t) => t.id) : [...ids(), ...added]);
        setCursor(page.next_cursor);
        if (from === null) {
          setTotal(page.total ?? null);
          setTotalIsEstimate(page.total_is_estimate ?? false);
        }
        setState("ready");
      });
      if (from === null && waiting.length) api.applyLive(waiting.splice(0));
    } catch (cause) {
      if ((cause as Error).name === "AbortError" || mine !== generation) return;
      setError((cause as Error).message);
      setState("error");
    } finally {
      if (mine === generation) setLoadingMore(false);
    }
  }

  const api = {
    ids,
    state,
    error,
    fresh,
    loadingMore,
    /** Traces matching the filters (not only those loaded); null from a server that does not count. */
    total,
    /** Past 100,000 matches the server estimates the count. */
    totalIsEstimate,
    hasMore: () => cursor() !== null,
    row: (id: string): Accessor<TraceSummary> => rows.get(id)![0],
    /** Told how many rows slid in on top (to keep a scrolled view where it was). */
    onPrepend(listener: (count: number) => void) {
      onPrepend = listener;
    },

    reload() {
      generation++;
      rows.clear();
      waiting = [];
      batch(() => {
        setState("loading");
        setIds([]);
        setCursor(null);
        setTotal(null);
        setLoadingMore(false);
      });
      void fetchPage(null);
    },

    /** The next page; the promise settles when it is in (undefined: nothing to load, or a load under way). */
    loadMore(): Promise<void> | undefined {
      if (loadingMore() || cursor() === null || state() !== "ready") return;
      setLoadingMore(true);
      return fetchPage(cursor());
    },

    /**
     * Live traces: update known rows in place, slide new matching ones in on top. Only in the
     * default order, newest first: sorted by anything else, a new trace's place is a page the list
     * may not have loaded, so it waits for the next reload.
     */
    applyLive(traces: TraceSummary[]) {
      if (state() === "loading") {
        waiting.push(...traces);
        return;
      }
      const incoming: string[] = [];
      batch(() => {
        for (const trace of traces) {
          if (rows.has(trace.id)) store(trace);
          else if (newestFirst(filters()) && traceMatches(trace, filters()) && !incoming.includes(trace.id)) {
            store(trace);
            incoming.push(trace.id);
          }
        }
        if (!incoming.length) return;
        setIds([...incoming.reverse(), ...ids()]);
        setTotal((n) => (n === null ? null : n + incoming.length));
        setFresh(new Set(incoming));
        onPrepend?.(incoming.length);
        if (state() === "error") setState("ready");
      });
    },
  };
  return api;
}

export type TraceList = ReturnType<typeof createTraceList>;

const newestFirst = (filters: TraceFilters) => (filters.sort ?? "start_time") === "start_time" && (filters.order ?? "desc") === "desc";
