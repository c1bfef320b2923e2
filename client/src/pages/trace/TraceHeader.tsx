import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { LiveStatus } from "../../api/live.ts";
import type { TraceSummary } from "../../api/types.ts";
import { LiveIndicator } from "../../components/LiveIndicator.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatCost, formatDuration, formatTime, formatTokens } from "../../lib/format.ts";

export function TraceHeader(props: { trace: TraceSummary; live: LiveStatus }) {
  return (
    <header class="trace-header">
      <div class="crumbs">
        <A href={`/traces?project=${encodeURIComponent(props.trace.project)}`}>{props.trace.project}</A>
        <span class="muted"> / </span>
        <span class="mono muted">{props.trace.id}</span>
      </div>
      <div class="trace-title row">
        <h1>{props.trace.name ?? props.trace.id}</h1>
        <StatusBadge status={props.trace.status} />
        <Show when={props.trace.status === "running"}>
          <LiveIndicator status={props.live} />
        </Show>
      </div>
      <dl class="facts">
        <Fact label="Model" value={props.trace.model ?? "—"} />
        <Fact label="Provider" value={props.trace.provider ?? "—"} />
        <Fact label="Duration" value={formatDuration(props.trace.duration_ms)} />
        <Fact label="Tokens" value={formatTokens(props.trace.total_tokens)} />
        <Fact label="Cost" value={formatCost(props.trace.cost_usd)} />
        <Fact label="Spans" value={String(props.trace.span_count ?? "—")} />
        <Fact label="Started" value={formatTime(props.trace.start_time)} />
      </dl>
    </header>
  );
}

function Fact(props: { label: string; value: string }) {
  return (
    <div class="fact">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
