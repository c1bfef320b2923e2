import { Icon } from "../../components/Icon.tsx";
import { formatDuration } from "../../lib/format.ts";
import type { TreeRow } from "../../lib/span-tree.ts";
import { spanEnd, spanStart, spanStatus } from "../../lib/spans.ts";

export function SpanTreeRow(props: { row: TreeRow; selected: boolean; folded: boolean; onSelect: (spanId: string) => void; onToggle: (spanId: string) => void }) {
  const span = () => props.row.span;
  const duration = () => {
    const end = spanEnd(span());
    const start = spanStart(span());
    return end !== null && Number.isFinite(start) ? formatDuration((end - start) * 1000) : "";
  };
  return (
    <div
      role="treeitem"
      aria-selected={props.selected}
      aria-expanded={props.row.children ? !props.folded : undefined}
      class="span-row"
      classList={{ selected: props.selected }}
      data-span-type={span().type ?? "span"}
      data-span-id={span().span_id}
      data-status={spanStatus(span())}
      onClick={() => props.onSelect(span().span_id)}
    >
      <span class="span-label" style={{ "padding-left": `${Math.min(props.row.depth, 24) * 14 + 4}px` }}>
        {props.row.children ? (
          <button
            type="button"
            class="fold-toggle"
            aria-label={props.folded ? `Unfold ${props.row.children} children` : "Fold children"}
            onClick={(e) => (e.stopPropagation(), props.onToggle(span().span_id))}
          >
            {props.folded ? "▸" : "▾"}
          </button>
        ) : (
          <span class="fold-spacer" />
        )}
        <Icon name={span().type ?? "function"} class={`span-icon type-${span().type ?? "function"}`} />
        <span class="ellipsis">{span().name ?? span().span_id}</span>
        {props.folded && <span class="pill fold-count">+{props.row.children}</span>}
        <span class="span-duration">{duration()}</span>
      </span>
      <span class="span-track">
        <span
          class={`span-bar type-${span().type ?? "function"}`}
          classList={{ running: spanStatus(span()) === "running", error: spanStatus(span()) === "error" }}
          style={{ left: `${props.row.offset * 100}%`, width: `${Math.min(props.row.width, 1 - props.row.offset) * 100}%` }}
        />
      </span>
    </div>
  );
}
