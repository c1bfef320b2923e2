import { A } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { fetchStats } from "../../api/stats.ts";
import type { Experiment } from "../../api/types.ts";
import { Chart } from "../../components/Chart.tsx";
import { formatCost, formatPercent, formatRelative, formatTokens } from "../../lib/format.ts";

const DAY_MS = 86_400_000;

/** A project: its last 24 h as a sparkline and error rate, its all-time totals, and when its newest span ran. */
export function ProjectCard(props: { experiment: Experiment; refreshed: number }) {
  const href = () => `/projects/${encodeURIComponent(props.experiment.project)}`;
  const [day] = createResource(
    () => [props.experiment.project, props.refreshed] as const,
    ([project]) => fetchStats({ project, since: new Date(Date.now() - DAY_MS), until: new Date(), bucket: "1h" }),
  );
  const points = () => day.latest?.series[0]?.points ?? [];
  const dayTotals = () => day.latest?.totals;
  return (
    <A href={href()} class="card experiment project-card" data-project={props.experiment.project}>
      <div class="card-title">
        <span class="project-name">{props.experiment.project}</span>
        <span class="muted" title="the newest span's time">{formatRelative(props.experiment.last_activity)}</span>
      </div>
      <div class="sparkline" data-traces-24h={dayTotals()?.traces ?? ""}>
        <Show when={points().length > 0}>
          <Chart compact times={points().map((p) => Date.parse(p.t) / 1000)} lines={[{ label: "traces", color: "#2970ff", values: points().map((p) => p.traces) }]} format={(v) => String(v)} />
        </Show>
        <Show when={dayTotals()} fallback={<span class="muted sparkline-note">last 24 h: …</span>}>
          {(totals) => (
            <span class="muted sparkline-note">
              last 24 h: {totals().traces.toLocaleString("en-US")} traces,{" "}
              <span classList={{ warn: totals().errors > 0 }}>{formatPercent(totals().traces ? totals().errors / totals().traces : null)} errors</span>
            </span>
          )}
        </Show>
      </div>
      <dl class="stats">
        <Stat label="Traces" value={props.experiment.trace_count.toLocaleString("en-US")} />
        <Stat label="Errors" value={formatPercent(props.experiment.error_rate)} warn={(props.experiment.error_rate ?? 0) > 0} />
        <Stat label="Tokens" value={formatTokens(props.experiment.total_tokens)} />
        <Stat label="Cost" value={formatCost(props.experiment.cost_usd)} />
      </dl>
    </A>
  );
}

function Stat(props: { label: string; value: string; warn?: boolean }) {
  return (
    <div class="stat" classList={{ warn: props.warn === true }}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
