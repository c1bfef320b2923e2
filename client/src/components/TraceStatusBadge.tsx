import { Show } from "solid-js";
import type { TraceSummary } from "../api/types.ts";
import { formatRelative } from "../lib/time.ts";
import { isStale, staleClock } from "../lib/stale.ts";
import { StatusBadge } from "./StatusBadge.tsx";

/** A trace's status, and "stale" for a run that stopped writing 10 minutes ago (its job most likely died). */
export function TraceStatusBadge(props: { trace: Pick<TraceSummary, "status" | "updated_at"> }) {
  const stale = () => isStale(props.trace, staleClock());
  return (
    <Show when={stale()} fallback={<StatusBadge status={props.trace.status} />}>
      <span class="status-stale" title={`Running, but nothing written since ${formatRelative(props.trace.updated_at ?? null, staleClock())}`}>
        <StatusBadge status="stale" />
      </span>
    </Show>
  );
}
