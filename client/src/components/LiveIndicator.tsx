import type { LiveStatus } from "../api/live.ts";

const labels: Record<LiveStatus, string> = { connecting: "Connecting", live: "Live", offline: "Offline" };

export function LiveIndicator(props: { status: LiveStatus | "paused" }) {
  return (
    <span class="live-indicator" data-live={props.status}>
      <span class="live-dot" />
      {props.status === "paused" ? "Paused" : labels[props.status]}
    </span>
  );
}
