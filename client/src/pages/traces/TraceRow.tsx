import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { TraceSummary } from "../../api/types.ts";
import { ContextChips } from "./ContextChips.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatCost, formatDuration, formatTime, formatTokens } from "../../lib/format.ts";

const failedSteps = (n: number) => `${n.toLocaleString("en-US")} failed step${n === 1 ? "" : "s"}`;

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
      <span class="cell-status">
        <StatusBadge status={props.trace.status} />
        {/* The root delivered, some steps failed on the way: ok, with those steps owned up to. */}
        <Show when={props.trace.status !== "error" && (props.trace.error_count ?? 0) > 0}>
          <span class="failed-steps" title="Steps of this trace that failed while the trace itself did not">
            {failedSteps(props.trace.error_count!)}
          </span>
        </Show>
      </span>
      <span class="mono ellipsis">{props.trace.model ?? "—"}</span>
      <span class="ellipsis">{props.trace.provider ?? "—"}</span>
      <span class="num">{formatDuration(props.trace.duration_ms)}</span>
      <span class="num">{formatTokens(props.trace.total_tokens)}</span>
      <span class="num">{formatCost(props.trace.cost_usd)}</span>
      <span class="num muted">{formatTime(props.trace.start_time)}</span>
      <ContextChips trace={props.trace} />
    </A>
  );
}
