import { A } from "@solidjs/router";
import { For } from "solid-js";
import type { Stats, StatsGroup } from "../../api/stats.ts";
import { formatCost, formatDuration, formatPercent, formatTokens } from "../../lib/format.ts";

/** One row per model family (or provider) over the window: calls, error rate, p95, tokens, cost. */
export function ModelTable(props: { stats: Stats; by: StatsGroup; project: string }) {
  const href = (key: string | null) => {
    const query = new URLSearchParams({ project: props.project, since: props.stats.since, until: props.stats.until });
    if (key) query.set(props.by, key);
    return `/traces?${query}`;
  };
  return (
    <section class="card model-table">
      <table>
        <thead>
          <tr>
            <th>{props.by === "model" ? "Model" : "Provider"}</th>
            <th>Calls</th>
            <th>Error rate</th>
            <th>p95</th>
            <th>Tokens</th>
            <th>Cost</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.stats.series}>
            {(s) => (
              <tr data-key={s.key ?? ""}>
                <td><A href={href(s.key)}>{s.key ?? `(no ${props.by})`}</A></td>
                <td>{s.totals.traces.toLocaleString("en-US")}</td>
                <td>{formatPercent(s.totals.traces ? s.totals.errors / s.totals.traces : null)}</td>
                <td>{formatDuration(s.totals.p95_ms)}</td>
                <td>{formatTokens(s.totals.prompt_tokens + s.totals.completion_tokens)}</td>
                <td>{formatCost(s.totals.cost_usd)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
