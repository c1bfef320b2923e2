import { useLocation, useSearchParams } from "@solidjs/router";
import { contextFiltersOf } from "../../api/context-query.ts";
import { createEffect, createMemo, createSignal, Match, on, onCleanup, Show, Switch } from "solid-js";
import { connectLive, type LiveStatus } from "../../api/live.ts";
import { exportUrl } from "../../api/traces.ts";
import type { TraceFilters, TraceSummary } from "../../api/types.ts";
import { LiveIndicator } from "../../components/LiveIndicator.tsx";
import { EmptyState, ErrorState, Loading } from "../../components/States.tsx";
import { createFrameBatch } from "../../lib/frame-batch.ts";
import { formatTime } from "../../lib/format.ts";
import type { ListOrder } from "./SortHeader.tsx";
import { createTraceList } from "./trace-list.ts";
import { rangeBounds, type RangeParams } from "./time-range.ts";
import { TimeRangePicker } from "./TimeRangePicker.tsx";
import { ContextFilterBar } from "./ContextFilterBar.tsx";
import { TraceFiltersBar } from "./TraceFiltersBar.tsx";
import { TraceTable } from "./TraceTable.tsx";
import { createScoreColumns, ScoreColumnPicker, type ScoreSort } from "./ScoreColumns.tsx";
import { ScoreFilter } from "./ScoreFilter.tsx";

const FILTER_KEYS = ["project", "provider", "model", "status", "has_errors", "q", "sort", "order", "score_name", "score_min", "score_max", "score_label"] as const;

export function TracesPage() {
  const [params, setParams] = useSearchParams();
  const sameJson = { equals: (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) };
  // The time window is its own part of the URL (range, since, until); the API sees its bounds.
  const range = createMemo<RangeParams>(() => ({ range: one(params.range) || undefined, since: one(params.since) || undefined, until: one(params.until) || undefined }), {}, sameJson);
  const location = useLocation();
  const filters = createMemo<TraceFilters>(
    () => ({
      ...(Object.fromEntries(FILTER_KEYS.map((k) => [k, one(params[k])]).filter(([, v]) => v)) as TraceFilters),
      // user, session, tag (repeatable) and metadata.KEY: read from the URL as it is (components/ContextFilterBar.tsx).
      ...contextFiltersOf(new URLSearchParams(location.search)),
      ...rangeBounds(range()),
    }),
    {},
    sameJson,
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
  // Score columns (names from the project) and a sort of the loaded rows by one, both in the URL.
  const scoreColumns = createScoreColumns(() => filters().project, () => (params.score_cols === undefined ? undefined : one(params.score_cols)));
  const scoreSort = (): ScoreSort | null => {
    const [name, order] = one(params.score_sort).split(":");
    return name ? { name, order: order === "asc" ? "asc" : "desc" } : null;
  };
  const scoreProps = () => ({
    columns: scoreColumns.columns(),
    gridColumns: scoreColumns.gridColumns(),
    sort: scoreSort(),
    onSort: (sort: ScoreSort) => setParams({ score_sort: `${sort.name}:${sort.order}` }),
  });
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
            <Show when={filters().since || filters().until}>
              {" · "}
              <span class="time-window">
                {formatTime(filters().since)} – {formatTime(filters().until)}{" "}
                <button type="button" class="link-button" title="Show every time" onClick={() => setParams({ since: undefined, until: undefined })}>
                  ✕
                </button>
              </span>
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
        <ScoreColumnPicker names={scoreColumns.names()} columns={scoreColumns.columns()} onChange={(columns) => setParams({ score_cols: columns.join(",") || "," })} />
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
      <div class="list-controls">
        <TraceFiltersBar filters={filters()} onChange={setFilter} />
        <TimeRangePicker value={range()} onChange={(next) => setParams({ range: next.range, since: next.since, until: next.until })} />
      </div>
      <ContextFilterBar filters={filters()} />
      <ScoreFilter names={scoreColumns.names()} filters={filters()} onChange={setFilter} />
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
          <TraceTable list={list} order={order()} onSort={setOrder} scores={scoreProps()} />
        </Match>
      </Switch>
    </div>
  );
}

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}
