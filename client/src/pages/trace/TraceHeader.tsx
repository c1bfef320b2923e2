import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { LiveStatus } from "../../api/live.ts";
import type { Span, TraceSummary } from "../../api/types.ts";
import { CopyButton } from "../../components/CopyButton.tsx";
import { LiveIndicator } from "../../components/LiveIndicator.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatCost, formatDuration, formatTime, formatTokens } from "../../lib/format.ts";
import { elapsedSeconds } from "../../lib/trace-activity.ts";

export function TraceHeader(props: {
  trace: TraceSummary;
  spans: Span[];
  live: LiveStatus;
  now: number;
  stale: boolean;
  /** Failing spans, earliest first; the chip steps through them. */
  errors: Span[];
  errorIndex: number;
  onNextError: () => void;
}) {
  const running = () => props.trace.status === "running";
  // Steps, not the root: the root's own failure is the trace's status.
  const failedSteps = () => props.errors.filter((s) => s.span_parents?.length).length;
  const partial = () => props.trace.status === "ok" && failedSteps() > 0;
  const duration = () => {
    if (!running()) return formatDuration(props.trace.duration_ms);
    const elapsed = elapsedSeconds(props.trace, props.now);
    return elapsed === null ? "—" : `${formatDuration(elapsed * 1000)} so far`;
  };
  return (
    <header class="trace-header">
      <div class="crumbs">
        <A href={`/traces?project=${encodeURIComponent(props.trace.project)}`}>{props.trace.project}</A>
        <span class="muted"> / </span>
        <span class="mono muted">{props.trace.id}</span>
        <CopyButton value={() => props.trace.id} label="Copy id" />
      </div>
      <div class="trace-title row">
        <h1>{props.trace.name ?? props.trace.id}</h1>
        <Show
          when={partial()}
          fallback={<StatusBadge status={props.stale ? "stale" : props.trace.status} />}
        >
          <span class="status" data-status="partial">
            <span class="status-dot" />
            ok · {failedSteps()} failed {failedSteps() === 1 ? "step" : "steps"}
          </span>
        </Show>
        <Show when={props.errors.length > 0}>
          <button type="button" class="errors-chip" onClick={() => props.onNextError()} title="Go to the next failing span (e)">
            {props.errors.length} {props.errors.length === 1 ? "error" : "errors"}
            <Show when={props.errorIndex >= 0}>
              <span class="errors-chip-step">
                {" "}
                · {props.errorIndex + 1}/{props.errors.length}
              </span>
            </Show>
          </button>
        </Show>
        <Show when={running() && !props.stale}>
          <LiveIndicator status={props.live} />
        </Show>
        <Show when={props.stale}>
          <span class="stale-note">no update for over 10 min: the job may have died</span>
        </Show>
        <span class="head-actions push">
          <button type="button" class="button ghost" onClick={() => downloadTrace(props.trace, props.spans)}>
            Download trace JSON
          </button>
        </span>
      </div>
      <dl class="facts">
        <Fact label="Model" value={props.trace.model ?? "—"} />
        <Fact label="Provider" value={props.trace.provider ?? "—"} />
        <Fact label={running() ? "Elapsed" : "Duration"} value={duration()} />
        <Fact label="Tokens" value={tokenSplit(props.trace)} />
        <Fact label="Cost" value={formatCost(props.trace.cost_usd)} />
        <Fact label="Spans" value={String(props.trace.span_count ?? props.spans.length)} />
        <Fact label="Started" value={formatTime(props.trace.start_time)} />
      </dl>
    </header>
  );
}

/** "1,234 (1,000 in · 234 out)": the prompt/completion split beside the total. */
function tokenSplit(trace: TraceSummary): string {
  const total = formatTokens(trace.total_tokens);
  if (typeof trace.prompt_tokens !== "number" && typeof trace.completion_tokens !== "number") return total;
  return `${total} (${formatTokens(trace.prompt_tokens ?? null)} in · ${formatTokens(trace.completion_tokens ?? null)} out)`;
}

/** The trace as the dashboard holds it (summary and every span), saved as a file. */
function downloadTrace(trace: TraceSummary, spans: Span[]): void {
  const blob = new Blob([JSON.stringify({ trace, spans }, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `trace-${trace.id}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Fact(props: { label: string; value: string }) {
  return (
    <div class="fact" data-fact={props.label}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
