import { useLocation, useSearchParams } from "@solidjs/router";
import { contextFiltersOf } from "../../api/context-query.ts";
import { createEffect, createMemo, createSignal, Match, on, onCleanup, Show, Switch } from "solid-js";
import { connectLive, type LiveStatus } from "../../api/live.ts";
import { exportUrl } from "../../api/traces.ts";
import type { TraceFilters, TraceSummary } from "../../api/types.ts";
import { LiveIndicator } from "../../components/LiveIndicator.tsx";
import { EmptyState, ErrorState, Loading } from "../../components/States.tsx";
import { createFrameBatch } from "../../lib/frame-batch.ts";
import type { ListOrder } from "./SortHeader.tsx";
import { createTraceList } from "./trace-list.ts";
import { ContextFilterBar } from "./ContextFilterBar.tsx";
import { TraceFiltersBar } from "./TraceFiltersBar.tsx";
import { TraceTable } from "./TraceTable.tsx";

const FILTER_KEYS = ["project", "provider", "model", "status", "has_errors", "q", "sort", "order"] as const;

export function TracesPage() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const filters = createMemo<TraceFilters>(
    () => ({
      ...(Object.fromEntries(FILTER_KEYS.map((k) => [k, one(params[k])]).filter(([, v]) => v)) as TraceFilters),
      // user, session, tag (repeatable) and metadata.KEY: read from the URL as it is (components/ContextFilterBar.tsx).
      ...contextFiltersOf(new URLSearchParams(location.search)),
    }),
    {},
    { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  const list = createTraceList(filters);
  const [liveOn, setLiveOn] = createSignal(params.live !== "off");
  const [liveStatus, setLiveStatus] = createSignal<LiveStatus>("connecting");

  createEffect(on(filters, () => list.reload()));
  // The feed is filtered by project only (the rest is matched here), so only a project change reconnects.
  const liveProject = createMemo(() => filters().project);

  createEffect(() => {
    if (!liveOn()) return;
    const project = liveProject();
    const pending = createFrameBatch<TraceSummary>((traces) => list.applyLive(traces));
    const close = connectLive({ project, only: "trace" }, { onTrace: pending.push, onReset: list.reload, onStatus: setLiveStatus });
    onCleanup(() => {
      close();
      pending.clear();
    });
  });

  const setFilter = (key: keyof TraceFilters, value: string) => setParams({ [key]: value || undefined });
  const order = createMemo<ListOrder>(() => ({ sort: filters().sort ?? "start_time", order: filters().order ?? "desc" }));
  // The default order (newest first) is left out of the URL.
  const setOrder = (next: ListOrder) =>
    setParams({ sort: next.sort === "start_time" ? undefined : next.sort, order: next.order === "desc" ? undefined : next.order });
  const matching = () => {
    const total = list.total();
    if (total === null) return "";
    return `${list.totalIsEstimate() ? "about " : ""}${total.toLocaleString("en-US")} ${total === 1 ? "trace" : "traces"}`;
  };

  return (
    <div class="page page-fill">
      <div class="page-head row">
        <div>
          <h1>Traces</h1>
          <p class="page-sub">
            <Show when={filters().project} fallback="All projects">
              Project <strong>{filters().project}</strong>
            </Show>
            <Show when={matching()}>
              {" · "}
              <span class="match-count" data-total={list.total() ?? ""}>
                {matching()}
              </span>
            </Show>
          </p>
        </div>
        <div class="head-actions">
        <a class="button ghost" href={exportUrl(filters())} download="kalmia-traces.ndjson" title="Download the matching traces as NDJSON, in the ingest format">
          Export
        </a>
        <button
          type="button"
          class="button ghost live-toggle"
          aria-pressed={liveOn()}
          onClick={() => {
            setLiveOn(!liveOn());
            setParams({ live: liveOn() ? undefined : "off" });
          }}
        >
          <LiveIndicator status={liveOn() ? liveStatus() : "paused"} />
        </button>
        </div>
      </div>
      <TraceFiltersBar filters={filters()} onChange={setFilter} />
      <ContextFilterBar filters={filters()} />
      <Switch>
        <Match when={list.state() === "error" && list.ids().length === 0}>
          <ErrorState message={list.error()} onRetry={list.reload} />
        </Match>
        <Match when={list.state() === "loading"}>
          <Loading label="Loading traces…" />
        </Match>
        <Match when={list.ids().length === 0}>
          <EmptyState title="No traces match">
            <Show when={Object.keys(filters()).some((k) => k !== "sort" && k !== "order")} fallback="Nothing recorded yet. New traces appear here as they arrive.">
              Try removing a filter. New matching traces appear here as they arrive.
            </Show>
          </EmptyState>
        </Match>
        <Match when={true}>
          <TraceTable list={list} order={order()} onSort={setOrder} />
        </Match>
      </Switch>
    </div>
  );
}

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}
