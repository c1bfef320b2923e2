import { createMemo, createSignal, onCleanup, onMount } from "solid-js";
import type { Span } from "../../api/types.ts";
import { EmptyState } from "../../components/States.tsx";
import { VirtualList } from "../../components/VirtualList.tsx";
import { buildSpanTree } from "../../lib/span-tree.ts";
import { spanStatus } from "../../lib/spans.ts";
import { SpanTreeRow } from "./SpanTreeRow.tsx";

export function SpanTree(props: { spans: Span[]; selected: string | null; onSelect: (spanId: string) => void }) {
  // Running spans' bars grow with the clock; one tick a second is enough.
  const [now, setNow] = createSignal(Date.now() / 1000);
  onMount(() => {
    const timer = setInterval(() => {
      if (props.spans.some((s) => spanStatus(s) === "running")) setNow(Date.now() / 1000);
    }, 1000);
    onCleanup(() => clearInterval(timer));
  });
  const rows = createMemo(() => buildSpanTree(props.spans, now()));

  return (
    <div class="span-tree">
      <div class="span-tree-head">
        <span>Spans ({props.spans.length})</span>
        <span>Timeline</span>
      </div>
      {rows().length === 0 ? (
        <EmptyState title="No spans yet" />
      ) : (
        <VirtualList items={rows()} rowHeight={30} class="span-rows">
          {(row) => <SpanTreeRow row={row} selected={row.span.span_id === props.selected} onSelect={props.onSelect} />}
        </VirtualList>
      )}
    </div>
  );
}
