import { A } from "@solidjs/router";
import type { Experiment } from "../../api/types.ts";
import { formatCost, formatPercent, formatRelative, formatTokens } from "../../lib/format.ts";

export function ExperimentCard(props: { experiment: Experiment }) {
  const href = () => `/traces?project=${encodeURIComponent(props.experiment.project)}`;
  return (
    <A href={href()} class="card experiment" data-project={props.experiment.project}>
      <div class="card-title">
        <span class="project-name">{props.experiment.project}</span>
        <span class="muted">{formatRelative(props.experiment.last_activity)}</span>
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
