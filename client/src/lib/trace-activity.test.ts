import { describe, expect, test } from "bun:test";
import type { Span, TraceSummary } from "../api/types.ts";
import { elapsedSeconds, isStale } from "./trace-activity.ts";

const trace = (status: string, start: number): TraceSummary =>
  ({ id: "t", project: "p", name: "job", provider: null, model: null, status, start_time: new Date(start * 1000).toISOString(), duration_ms: null, total_tokens: null, cost_usd: null }) as TraceSummary;
const span = (start: number): Span => ({ id: "s", span_id: "s", trace_id: "t", root_span_id: "t", name: "step", type: "task", metrics: { start } });

describe("running traces", () => {
  const now = 1_800_000_000;
  test("a running trace with a span started a minute ago is not stale", () => {
    expect(isStale(trace("running", now - 3600), [span(now - 60)], now)).toBe(false);
  });

  test("a running trace with no update for over 10 minutes is stale", () => {
    expect(isStale(trace("running", now - 3600), [span(now - 11 * 60)], now)).toBe(true);
  });

  test("a finished trace is never stale, and elapsed time counts from its start", () => {
    expect(isStale(trace("ok", now - 3600), [], now)).toBe(false);
    expect(elapsedSeconds(trace("running", now - 90), now)).toBe(90);
  });
});
