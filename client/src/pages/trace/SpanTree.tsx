import { createEffect, createMemo, createSelector, on } from "solid-js";
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
  const indexOf = createMemo(() => new Map(props.rows.map((r, i) => [r.span.span_id, i])));
  const isSelected = createSelector(() => props.selected);
  createEffect(
    on([() => props.selected, indexOf], ([selected, index]) => {
      const at = selected === null ? undefined : index.get(selected);
      if (at === undefined) return;
      // In the next frame: reading the viewport's size then costs no layout of its own.
      requestAnimationFrame(() => {
        if (!viewport) return;
        const top = at * ROW_HEIGHT;
        if (top < viewport.scrollTop) viewport.scrollTop = top;
        else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
      });
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
              selected={isSelected(row.span.span_id)}
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
