import { Show } from "solid-js";
import { VirtualList } from "../../components/VirtualList.tsx";
import { SortHeader, type ListOrder } from "./SortHeader.tsx";
import type { TraceList } from "./trace-list.ts";
import { keepListSpot } from "./keep-list-spot.ts";
import { TraceRow } from "./TraceRow.tsx";
import { ScoreHeaders, sortByScore, type ScoreSort } from "./ScoreColumns.tsx";

/** The score columns shown, and the sort of the loaded rows by one of them (ScoreColumns.tsx). */
export type ScoreColumnProps = { columns: string[]; gridColumns: string; sort: ScoreSort | null; onSort: (sort: ScoreSort) => void };

export const ROW_HEIGHT = 44;

export function TraceTable(props: { list: TraceList; order: ListOrder; onSort: (next: ListOrder) => void; scores: ScoreColumnProps }) {
  let viewport: HTMLDivElement | undefined;
  const spotViewport = keepListSpot(props.list, ROW_HEIGHT);
  // Someone reading further down keeps their rows in place as new ones arrive on top.
  props.list.onPrepend((count) => {
    // After the batch, once the list has grown, or the browser would clamp the new offset.
    if (viewport && viewport.scrollTop > 0) queueMicrotask(() => viewport && (viewport.scrollTop += count * ROW_HEIGHT));
  });
  return (
    <div class="table traces-table" role="table" aria-label="Traces" style={{ "--score-columns": props.scores.gridColumns }}>
      <div class="table-head trace-grid" role="row">
        <span role="columnheader">Name</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Model</span>
        <span role="columnheader">Provider</span>
        <SortHeader label="Duration" sort="duration_ms" current={props.order} onSort={props.onSort} />
        <SortHeader label="Tokens" sort="total_tokens" current={props.order} onSort={props.onSort} />
        <SortHeader label="Cost" sort="cost_usd" current={props.order} onSort={props.onSort} />
        <SortHeader label="Time" sort="start_time" current={props.order} onSort={props.onSort} />
        <span role="columnheader">User · session · tags</span>
        <ScoreHeaders columns={props.scores.columns} sort={props.scores.sort} onSort={props.scores.onSort} />
      </div>
      <VirtualList items={sortByScore(props.list.ids(), (id) => props.list.row(id)(), props.scores.sort)} rowHeight={ROW_HEIGHT} class="table-body" onNearEnd={props.list.loadMore} onViewport={(el) => ((viewport = el), spotViewport(el))}>
        {(id) => <TraceRow trace={props.list.row(id)()} fresh={props.list.fresh().has(id)} scoreColumns={props.scores.columns} />}
      </VirtualList>
      <div class="table-foot">
        <span>{props.list.ids().length.toLocaleString("en-US")} traces loaded</span>
        <Show when={props.list.loadingMore()}>
          <span class="muted">Loading more…</span>
        </Show>
        <Show when={props.list.hasMore() && !props.list.loadingMore()}>
          <button type="button" class="link-button" onClick={props.list.loadMore}>
            Load more
          </button>
        </Show>
      </div>
    </div>
  );
}
