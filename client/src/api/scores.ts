import { ApiError } from "./http.ts";
import type { Score } from "./types.ts";

/** What the dashboard sends to POST /api/v1/scores (DESIGN.md). */
export type ScoreInput = {
  id?: string;
  trace_id: string;
  span_id?: string | null;
  name: string;
  value?: number;
  label?: string;
  comment?: string;
  source?: Score["source"];
};

/** Stores a score (the same id updates it) and resolves to its id once the server has it. */
export async function postScore(score: ScoreInput): Promise<string> {
  let response: Response;
  try {
    response = await fetch("/api/v1/scores", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(score),
    });
  } catch {
    throw new ApiError(0, "Cannot reach the Kalmia server.");
  }
  const body = (await response.json().catch(() => null)) as { id?: string; error?: { message?: string } } | null;
  if (!response.ok) throw new ApiError(response.status, body?.error?.message ?? `The server answered ${response.status}.`);
  return body?.id ?? score.id ?? "";
}
