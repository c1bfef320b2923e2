import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { TraceSummary } from "../../api/types.ts";
import { TraceStatusBadge } from "../../components/TraceStatusBadge.tsx";
import { Cost } from "../../components/Cost.tsx";
import { Time } from "../../components/Time.tsx";
import { formatDuration, formatTokens } from "../../lib/format.ts";
import { ScoreCells } from "./ScoreColumns.tsx";
import { ContextChips } from "./ContextChips.tsx";

const failedSteps = (n: number) => `${n.toLocaleString("en-US")} failed step${n === 1 ? "" : "s"}`;

export function TraceRow(props: { trace: TraceSummary; fresh: boolean; scoreColumns: string[] }) {
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
        <span class="cell-name-text">{props.trace.name ?? props.trace.id}</span>
        <span class="cell-project">{props.trace.project}</span>
      </span>
      <span class="cell-status">
        <TraceStatusBadge trace={props.trace} />
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
      <Cost class="num cell-cost" usd={props.trace.cost_usd} />
      <Time class="num muted cell-time" value={props.trace.start_time} />
      <ContextChips trace={props.trace} />
      <ScoreCells trace={props.trace} columns={props.scoreColumns} />
    </A>
  );
}
