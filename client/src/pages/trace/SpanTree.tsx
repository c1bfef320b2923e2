import { createEffect, on } from "solid-js";
import { EmptyState } from "../../components/States.tsx";
import { VirtualList } from "../../components/VirtualList.tsx";
import { formatDuration } from "../../lib/format.ts";
import type { TreeRow } from "../../lib/span-tree.ts";
import { SpanTreeRow } from "./SpanTreeRow.tsx";

const ROW_HEIGHT = 30;

/** The span tree with its waterfall; keeps the selected row in view however it was selected. */
export function SpanTree(props: {
  rows: TreeRow[];
  total: number;
  /** The trace's time range in seconds, for the timeline's scale. */
  range: number;
  selected: string | null;
  folded: ReadonlySet<string>;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
}) {
  let viewport: HTMLDivElement | undefined;
  createEffect(
    on([() => props.selected, () => props.rows], () => {
      const index = props.rows.findIndex((r) => r.span.span_id === props.selected);
      if (!viewport || index < 0) return;
      const top = index * ROW_HEIGHT;
      if (top < viewport.scrollTop) viewport.scrollTop = top;
      else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
    }),
  );

  return (
    <div class="span-tree" role="tree" aria-label="Spans">
      <div class="span-tree-head">
        <span>Spans ({props.total})</span>
        <span class="timeline-scale">
          <span>0</span>
          <span>Timeline</span>
          <span>{formatDuration(props.range * 1000)}</span>
        </span>
      </div>
      {props.rows.length === 0 ? (
        <EmptyState title="No spans yet" />
      ) : (
        <VirtualList items={props.rows} rowHeight={ROW_HEIGHT} class="span-rows" onViewport={(el) => (viewport = el)}>
          {(row) => (
            <SpanTreeRow
              row={row}
              selected={row.span.span_id === props.selected}
              folded={props.folded.has(row.span.span_id)}
              onSelect={props.onSelect}
              onToggle={props.onToggle}
            />
          )}
        </VirtualList>
      )}
    </div>
  );
}
