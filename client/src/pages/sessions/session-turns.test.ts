import { expect, test } from "bun:test";
import type { TraceSummary } from "../../api/types.ts";
import { sessionTotals, turnOf, withTrace } from "./session-turns.ts";

const trace = (id: string, start: string, extra: Partial<TraceSummary> = {}): TraceSummary => ({
  id, project: "p", name: null, provider: null, model: null, status: "ok", start_time: start, duration_ms: 1000,
  total_tokens: 10, cost_usd: 0.5, ...extra,
});

test("a turn shows the last user message of a whole chat history and the assistant's answer", () => {
  const turn = turnOf(trace("t", "2026-01-01T00:00:00Z", {
    input: [{ role: "user", content: "first" }, { role: "assistant", content: "one" }, { role: "user", content: "second" }],
    output: { role: "assistant", content: "two" },
  }));
  expect([turn.asked, turn.answered]).toEqual(["second", "two"]);
});

test("a live turn is added in time order, or replaces the trace it updates, and the totals follow", () => {
  let traces = [trace("a", "2026-01-01T00:00:00Z", { end_time: "2026-01-01T00:00:01Z" }), trace("c", "2026-01-01T00:00:20Z", { end_time: "2026-01-01T00:00:21Z" })];
  traces = withTrace(traces, trace("b", "2026-01-01T00:00:10Z", { status: "error" }));
  traces = withTrace(traces, trace("a", "2026-01-01T00:00:00Z", { end_time: "2026-01-01T00:00:01Z", total_tokens: 30 }));
  expect(traces.map((t) => t.id)).toEqual(["a", "b", "c"]);
  expect(sessionTotals(traces)).toEqual({ turns: 3, durationMs: 21_000, tokens: 50, cost: 1.5, errors: 1 });
});
