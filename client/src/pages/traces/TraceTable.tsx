import { Show } from "solid-js";
import { VirtualList } from "../../components/VirtualList.tsx";
import { SortHeader, type ListOrder } from "./SortHeader.tsx";
import type { TraceList } from "./trace-list.ts";
import { TraceRow } from "./TraceRow.tsx";

export const ROW_HEIGHT = 44;

export function TraceTable(props: { list: TraceList; order: ListOrder; onSort: (next: ListOrder) => void }) {
  let viewport: HTMLDivElement | undefined;
  // Someone reading further down keeps their rows in place as new ones arrive on top.
  props.list.onPrepend((count) => {
    // After the batch, once the list has grown, or the browser would clamp the new offset.
    if (viewport && viewport.scrollTop > 0) queueMicrotask(() => viewport && (viewport.scrollTop += count * ROW_HEIGHT));
  });
  return (
    <div class="table traces-table" role="table" aria-label="Traces">
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
      </div>
      <VirtualList items={props.list.ids()} rowHeight={ROW_HEIGHT} class="table-body" onNearEnd={props.list.loadMore} onViewport={(el) => (viewport = el)}>
        {(id) => <TraceRow trace={props.list.row(id)()} fresh={props.list.fresh().has(id)} />}
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
