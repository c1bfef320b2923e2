import { A } from "@solidjs/router";
import type { TraceSummary } from "../../api/types.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatCost, formatDuration, formatTime, formatTokens } from "../../lib/format.ts";

export function TraceRow(props: { trace: TraceSummary; fresh: boolean }) {
  return (
    <A
      href={`/traces/${encodeURIComponent(props.trace.id)}`}
      class="table-row trace-grid"
      classList={{ fresh: props.fresh }}
      role="row"
      data-trace-id={props.trace.id}
      data-status={props.trace.status}
    >
      <span class="cell-name" title={props.trace.name ?? props.trace.id}>
        {props.trace.name ?? props.trace.id}
        <span class="cell-project">{props.trace.project}</span>
      </span>
      <span>
        <StatusBadge status={props.trace.status} />
      </span>
      <span class="mono ellipsis">{props.trace.model ?? "—"}</span>
      <span class="ellipsis">{props.trace.provider ?? "—"}</span>
      <span class="num">{formatDuration(props.trace.duration_ms)}</span>
      <span class="num">{formatTokens(props.trace.total_tokens)}</span>
      <span class="num">{formatCost(props.trace.cost_usd)}</span>
      <span class="num muted">{formatTime(props.trace.start_time)}</span>
    </A>
  );
}
