import { getJson } from "./http.ts";
import type { Experiment } from "./types.ts";

type RawExperiment = Partial<Experiment> & Record<string, unknown>;

export async function listExperiments(signal?: AbortSignal): Promise<Experiment[]> {
  const body = await getJson<{ experiments: RawExperiment[] }>("/api/experiments", undefined, signal);
  return (body.experiments ?? []).map(toExperiment);
}

// Tolerates the older/alternative field names a server may use for the same figures.
function toExperiment(raw: RawExperiment): Experiment {
  const pick = (...keys: string[]) => keys.map((k) => raw[k]).find((v) => v !== undefined && v !== null);
  const project = (pick("project", "project_name", "project_id") as string | undefined) ?? String(raw.name ?? "");
  return {
    id: String(raw.id ?? project),
    name: String(raw.name ?? project),
    project,
    trace_count: Number(pick("trace_count", "traces") ?? 0),
    last_activity: (pick("last_activity", "last_trace_at", "updated_at") as string | undefined) ?? null,
    error_rate: numberOrNull(pick("error_rate")),
    total_tokens: numberOrNull(pick("total_tokens", "tokens")),
    cost_usd: numberOrNull(pick("cost_usd", "cost")),
  };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : null;
}
